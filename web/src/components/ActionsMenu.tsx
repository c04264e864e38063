import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Link } from 'react-router';

export interface MenuItem {
  id: string;
  label: string;
  /** A link item (goes somewhere) rather than an action. */
  to?: string;
  danger?: boolean;
}

export interface ActionsMenuProps {
  /** The button's accessible name: "Actions for Ada Lovelace". */
  label: string;
  items: MenuItem[];
  onSelect: (id: string) => void;
  disabled?: boolean;
  /** The id of the menu button, so focus can come back to it later. */
  buttonId?: string;
  /** Called when the menu opens (the page clears what could cover it). */
  onOpen?: () => void;
}

/**
 * A menu button (WAI-ARIA APG pattern): Enter, Space or arrow keys open it,
 * arrows, Home and End move, a letter jumps, Escape closes it and focus goes
 * back to the button.
 */
export function ActionsMenu({ label, items, onSelect, disabled, buttonId, onOpen }: ActionsMenuProps) {
  const autoId = useId();
  const id = buttonId ?? `menu-button-${autoId}`;
  const menuId = `${id}-menu`;
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [upward, setUpward] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const itemRefs = useRef<(HTMLElement | null)[]>([]);

  function openMenu(index: number) {
    setActive(index);
    setOpen(true);
    onOpen?.();
  }

  function close(returnFocus: boolean) {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  }

  // Open upward when there is no room below (rows near the bottom of the page).
  useLayoutEffect(() => {
    if (!open || !menuRef.current || !buttonRef.current) return;
    const button = buttonRef.current.getBoundingClientRect();
    const height = menuRef.current.offsetHeight;
    setUpward(window.innerHeight - button.bottom < height + 8 && button.top > height + 8);
  }, [open]);

  useEffect(() => {
    if (open) itemRefs.current[active]?.focus();
  }, [open, active]);

  // A click anywhere else closes the menu.
  useEffect(() => {
    if (!open) return;
    function onPointerDown(e: MouseEvent) {
      const t = e.target as Node;
      if (!menuRef.current?.contains(t) && !buttonRef.current?.contains(t)) setOpen(false);
    }
    document.addEventListener('mousedown', onPointerDown);
    return () => document.removeEventListener('mousedown', onPointerDown);
  }, [open]);

  function onButtonKeyDown(e: KeyboardEvent<HTMLButtonElement>) {
    if (e.key === 'ArrowDown' || e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      openMenu(0);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      openMenu(items.length - 1);
    }
  }

  function onMenuKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const n = items.length;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        setActive((i) => (i + 1) % n);
        return;
      case 'ArrowUp':
        e.preventDefault();
        setActive((i) => (i - 1 + n) % n);
        return;
      case 'Home':
        e.preventDefault();
        setActive(0);
        return;
      case 'End':
        e.preventDefault();
        setActive(n - 1);
        return;
      case 'Escape':
        e.preventDefault();
        e.stopPropagation();
        close(true);
        return;
      case 'Tab':
        setOpen(false);
        return;
      default:
        if (e.key.length === 1 && /\S/.test(e.key)) {
          const ch = e.key.toLowerCase();
          for (let k = 1; k <= n; k++) {
            const j = (active + k) % n;
            if (items[j]?.label.toLowerCase().startsWith(ch)) {
              setActive(j);
              break;
            }
          }
        }
    }
  }

  function choose(item: MenuItem) {
    close(!item.to);
    if (!item.to) onSelect(item.id);
  }

  return (
    <div className="menu-anchor">
      <button
        ref={buttonRef}
        id={id}
        type="button"
        className="button button-quiet button-icon"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        disabled={disabled}
        onClick={() => (open ? close(false) : openMenu(0))}
        onKeyDown={onButtonKeyDown}
      >
        <svg aria-hidden="true" width="20" height="20" viewBox="0 0 20 20" focusable="false">
          <circle cx="4" cy="10" r="1.75" fill="currentColor" />
          <circle cx="10" cy="10" r="1.75" fill="currentColor" />
          <circle cx="16" cy="10" r="1.75" fill="currentColor" />
        </svg>
      </button>
      {open ? (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-labelledby={id}
          className={`menu${upward ? ' menu-up' : ''}`}
          onKeyDown={onMenuKeyDown}
        >
          {items.map((item, i) => {
            const common = {
              role: 'menuitem' as const,
              tabIndex: i === active ? 0 : -1,
              className: `menu-item${item.danger ? ' menu-item-danger' : ''}`,
              onMouseEnter: () => setActive(i),
            };
            return item.to ? (
              <Link
                key={item.id}
                {...common}
                to={item.to}
                ref={(el) => {
                  itemRefs.current[i] = el;
                }}
                onClick={() => choose(item)}
              >
                {item.label}
              </Link>
            ) : (
              <button
                key={item.id}
                {...common}
                type="button"
                ref={(el) => {
                  itemRefs.current[i] = el;
                }}
                onClick={() => choose(item)}
              >
                {item.label}
              </button>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}
