import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { errorId, Field, invalidProps, SuggestField } from "./field";

function render(errors?: string[]) {
  const control = createElement("input", { id: "targets.namespaces", ...invalidProps("targets.namespaces", errors) });
  return renderToStaticMarkup(Field({ id: "targets.namespaces", label: "Namespaces", errors, hint: "One per line", children: control }));
}

describe("Field", () => {
  it("labels the control and leaves a valid one alone", () => {
    const html = render();
    expect(html).toContain('<label for="targets.namespaces"');
    expect(html).not.toContain("aria-invalid");
    expect(html).not.toContain(errorId("targets.namespaces"));
  });

  it("marks an invalid control and points it at its messages", () => {
    const html = render(["\"Bad_NS\": lower-case letters only", "choose at least one"]);
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('aria-describedby="targets-namespaces-error"');
    expect(html).toMatch(/<p id="targets-namespaces-error"[^>]*>&quot;Bad_NS&quot;: lower-case letters only choose at least one<\/p>/);
  });

  it("treats an empty message list as valid", () => {
    expect(invalidProps("name", [])).toEqual({});
  });
});

describe("SuggestField", () => {
  const render = (errors?: string[]) =>
    renderToStaticMarkup(SuggestField({ id: "rule-group", name: "resourceGroup", label: "Resource group", suggestions: ["default", "prod"], errors, hint: "Name or id", maxLength: 128 }));

  it("ties a labelled input to its list of suggestions", () => {
    const html = render();
    expect(html).toContain('<label for="rule-group"');
    expect(html).toMatch(/<input id="rule-group" list="rule-group-options" maxLength="128" [^>]*name="resourceGroup"/);
    expect(html).toContain('<datalist id="rule-group-options"><option value="default"></option><option value="prod"></option></datalist>');
    expect(html).not.toContain("aria-invalid");
  });

  it("marks the input invalid and points it at its messages", () => {
    const html = render(["too long"]);
    expect(html).toContain('aria-invalid="true" aria-describedby="rule-group-error"');
    expect(html).toMatch(/<p id="rule-group-error"[^>]*>too long<\/p>/);
  });
});
