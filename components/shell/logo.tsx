/** The mark of public/logo.svg, inline so the header needs no request (static files sit behind sign-in). */
export function Logo({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden focusable="false" className={className}>
      <rect width="32" height="32" rx="7" fill="#0369a1" />
      <path fill="#fff" d="M14 5h4v8.5h5.5L16 21.5 8.5 13.5H14zM7 19h3v5h12v-5h3v8H7z" />
    </svg>
  );
}
