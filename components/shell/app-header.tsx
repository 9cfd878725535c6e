import Link from "next/link";
import { Logo } from "./logo";
import { NavLink } from "./nav-link";

const NAVIGATION = [
  { href: "/", label: "Fleet" },
  { href: "/rules", label: "Rules" },
  { href: "/audit", label: "Audit log" },
  { href: "/settings", label: "Settings" },
] as const;

export function AppHeader({ userSlot }: { userSlot?: React.ReactNode }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex h-14 max-w-7xl items-center gap-8 px-4">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight text-slate-900">
          <Logo className="h-5 w-5" />
          Pullkeeper
        </Link>
        <nav aria-label="Main" className="flex gap-1 text-sm">
          {NAVIGATION.map((item) => (
            <NavLink key={item.href} href={item.href}>
              {item.label}
            </NavLink>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-3 text-sm">{userSlot}</div>
      </div>
    </header>
  );
}
