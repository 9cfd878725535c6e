import { AuthError } from "./permissions";

/** Field-level problems a form can show next to its inputs. */
export class UserInputError extends AuthError {
  override name = "UserInputError";
  declare readonly fieldErrors: Record<string, string[]>;

  constructor(message: string, fieldErrors: Record<string, string[]>) {
    super("invalid", message, fieldErrors);
  }
}
