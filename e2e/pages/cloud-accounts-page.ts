import { expect, type Locator, type Page } from "@playwright/test";

/** The admin's IBM Cloud accounts pages (/admin/clusters/accounts and an account's page), as a person uses them. */
export class CloudAccountsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto("/admin/clusters/accounts");
    await expect(this.page.getByRole("heading", { level: 1, name: "IBM Cloud accounts" })).toBeVisible();
  }

  get connectForm(): Locator {
    return this.page.getByRole("form", { name: "Connect an IBM Cloud account" });
  }

  /** Pastes the key and connects; returns the form for its answer. */
  async connect(displayName: string, apiKey: string): Promise<Locator> {
    const form = this.connectForm;
    await form.getByRole("textbox", { name: "Display name" }).fill(displayName);
    await form.getByLabel("IBM Cloud API key").fill(apiKey);
    await form.getByRole("button", { name: "Connect account" }).click();
    return form;
  }

  /** Connects the account and opens its page. */
  async connectAndOpen(displayName: string, apiKey: string): Promise<void> {
    const form = await this.connect(displayName, apiKey);
    await form.getByRole("link", { name: "Discover its clusters" }).click();
    await expect(this.page.getByRole("heading", { level: 1, name: displayName })).toBeVisible();
  }

  get discovered(): Locator {
    return this.page.getByRole("table", { name: "Clusters the account's key sees" });
  }

  get added(): Locator {
    return this.page.getByRole("table", { name: "Clusters added from this account" });
  }

  /** Chooses the discovered clusters by IBM name and adds them with the public endpoint. */
  async addClusters(names: string[]): Promise<void> {
    for (const name of names) await this.discovered.getByRole("checkbox", { name: `Choose ${name}` }).check();
    await this.page.getByRole("button", { name: `Add ${names.length} cluster${names.length === 1 ? "" : "s"}` }).click();
    const outcome = this.page.getByRole("list", { name: "Outcome of adding clusters" });
    await expect(outcome.getByRole("listitem")).toHaveCount(names.length, { timeout: 30_000 });
    await expect(outcome.getByText(/was not added/)).toHaveCount(0);
  }

  addedRow(name: string): Locator {
    return this.added.getByRole("row").filter({ has: this.page.getByRole("link", { name, exact: true }) });
  }
}
