import { Notice } from "@/components/shell/notice";
import { RelativeTime } from "@/components/shell/relative-time";

/**
 * Shown while a page is drawn from the scan saved before the server restarted (lib/queries/scan-snapshots.ts):
 * the first visitors after a restart see the cluster at once, and are told it may have changed since.
 */
export function RestoredScanNotice({ scannedAt }: { scannedAt: string }) {
  return (
    <div className="mb-4">
      <Notice tone="info" title="From the last scan before the server restarted">
        <p>
          This scan finished <RelativeTime iso={scannedAt} /> and was kept across the restart. The cluster is scanned again within seconds of the restart: reload
          to see it as it is now. Workflows never plan from a kept scan.
        </p>
      </Notice>
    </div>
  );
}
