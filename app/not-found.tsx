import Link from "next/link";

export default function NotFound() {
  return (
    <section className="mx-auto max-w-xl rounded-md border border-slate-200 bg-white p-6">
      <h1 className="text-lg font-semibold">Not found</h1>
      <p className="mt-2 text-sm text-slate-600">
        There is no cluster, namespace, operation or page at this address. It may have been renamed, deleted, or
        removed from your kubeconfig.
      </p>
      <Link href="/" className="mt-4 inline-block text-sm font-medium text-sky-700 underline">
        Back to the fleet
      </Link>
    </section>
  );
}
