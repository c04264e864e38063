import './subscription.css';

/** How full the seats are, as a bar (the figures beside it say the same in words). */
export function SeatMeter({ share }: { share: number }) {
  return (
    <div className="meter" aria-hidden="true">
      <div className={`meter-fill${share >= 90 ? ' meter-fill-high' : ''}`} style={{ width: `${share}%` }} />
    </div>
  );
}
