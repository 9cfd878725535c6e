import { expect, test } from "./fixtures";

test("the namespace page says why a seeded workload cannot pull, and offers the credential fix", async ({ operator: page }) => {
  await page.goto("/clusters/regional/namespaces/ml-training");
  const pulls = page.getByRole("region", { name: /^Pulls/ });
  await expect(pulls.getByRole("heading", { name: /^Pulls \(\d+ failing/ })).toBeVisible();
  const problems = pulls.getByRole("list", { name: "Pull problems in ml-training" });
  await expect(problems.getByText("1 pod cannot pull us.icr.io/data/trainer:0.4.0 — no credential for us.icr.io")).toBeVisible();
  await expect(problems.getByText("Deployment trainer", { exact: false })).toBeVisible();
  await expect(problems.getByRole("link", { name: /copy a pull secret here and restart/i })).toHaveAttribute("href", /\/clusters\/regional\/workflows\/copy\?namespaces=ml-training/);
});
