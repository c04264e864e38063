/** A grey placeholder of a given width while data loads (hidden from screen readers). */
export function Skeleton({ width = '100%', height }: { width?: string | number; height?: string | number }) {
  return <span className="skeleton" aria-hidden="true" style={{ width, height }} />;
}
