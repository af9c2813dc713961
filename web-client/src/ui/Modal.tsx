import { useEffect, useId, useRef, type ReactNode } from 'react';

/** A modal dialog (focus kept inside, Escape closes) titled by its heading. */
export function Modal({ title, onClose, children, wide }: { title: string; onClose: () => void; children: (close: () => void) => ReactNode; wide?: boolean }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={dialog} className={wide ? 'dialog dialog-wide' : 'dialog'} aria-labelledby={`${id}-title`} onClose={onClose}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children(() => dialog.current?.close())}
    </dialog>
  );
}
