import "server-only";

/** What pages and route handlers check most: the signed-in user and their permissions (the rest: import the file itself). */
export { can } from "./permissions";
export { requireUser } from "./session";
export { withUser } from "./route";
