"use client";

import { usePathname } from "next/navigation";
import { useEffect } from "react";

/**
 * Next 16 sometimes drops <title> on a client-side navigation made while the
 * previous page is still streaming (vercel/next.js#95268), leaving tabs and
 * screen readers with no page name. When that happens, name the page after its
 * main heading, as its metadata would have. The stand-in title is marked and
 * removed as soon as Next provides one, or on the next navigation.
 */
export function TitleGuard() {
  const pathname = usePathname();
  useEffect(() => {
    const standIn = () => document.head.querySelector<HTMLTitleElement>("title[data-title-guard]");
    const ownTitle = () => [...document.head.querySelectorAll("title:not([data-title-guard])")].some((title) => title.textContent?.trim());
    const check = () => {
      if (ownTitle()) {
        standIn()?.remove();
        return;
      }
      const heading = document.querySelector("main h1")?.textContent?.trim();
      const text = heading ? `${heading} · Pullkeeper` : "Pullkeeper";
      const element = standIn() ?? document.head.appendChild(document.createElement("title"));
      element.setAttribute("data-title-guard", "");
      if (element.textContent !== text) element.textContent = text;
    };
    const timer = window.setTimeout(check, 300);
    const observer = new MutationObserver(() => window.setTimeout(check, 0));
    observer.observe(document.head, { childList: true, subtree: true, characterData: true });
    return () => {
      window.clearTimeout(timer);
      observer.disconnect();
      standIn()?.remove();
    };
  }, [pathname]);
  return null;
}
