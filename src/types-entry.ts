// The "ip1-nki/types" entry: the types generated from the spec, under stable names. Types only, no runtime code.
export type {
  components,
  ErrorMessage,
  LoggedOutgoingSms,
  NkiSendRequest,
  NkiUser,
  OutgoingSms,
  operations,
  paths,
} from "../generated/schema.js";
