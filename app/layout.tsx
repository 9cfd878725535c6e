import type { Metadata } from "next";
import type { ReactNode } from "react";
import { UserMenu } from "./user-menu";
import { AppHeader } from "@/components/shell/app-header";
import { TitleGuard } from "@/components/shell/title-guard";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Pullkeeper", template: "%s · Pullkeeper" },
  description: "Image pull secret coverage and migration for Kubernetes fleets pulling from IBM Cloud Container Registry.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <Providers>
          <AppHeader userSlot={<UserMenu />} />
          <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
          <TitleGuard />
        </Providers>
      </body>
    </html>
  );
}
