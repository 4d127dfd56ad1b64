// The package version, for the User-Agent. A constant, so bundles need not read package.json; a test keeps it equal.
export const VERSION = "0.1.0";
