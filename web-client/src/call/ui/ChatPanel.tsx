import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/I18nProvider';
import { formatTime } from '../../time/days';
import { browserTimeZone } from '../../time/format';
import type { ChatLine } from '../machine';
import { CHAT_MAX, chatText } from '../protocol';
import { CloseIcon } from './icons';

interface Props {
  lines: readonly ChatLine[];
  connected: boolean;
  onSend: (text: string) => boolean;
  onClose: () => void;
}

/** The room's messages (not kept after the call) and a box to write one. */
export function ChatPanel({ lines, connected, onSend, onClose }: Props) {
  const { t } = useI18n();
  const [draft, setDraft] = useState('');
  const [failed, setFailed] = useState(false);
  const list = useRef<HTMLOListElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const zone = browserTimeZone();

  useEffect(() => {
    input.current?.focus();
  }, []);

  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines.length]);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (chatText(draft) === null) return;
    if (onSend(draft)) {
      setDraft('');
      setFailed(false);
    } else {
      setFailed(true);
    }
  }

  return (
    <aside id="call-chat" className="chat" aria-labelledby="call-chat-title">
      <header className="chat-head">
        <h2 id="call-chat-title">{t('call.chat.title')}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label={t('call.chat.close')} title={t('call.chat.close')}>
          <CloseIcon />
        </button>
      </header>
      <ol ref={list} className="chat-lines" aria-live="polite" aria-relevant="additions">
        {lines.length === 0 && <li className="chat-empty">{t('call.chat.empty')}</li>}
        {lines.map((l) => (
          <li key={l.id} className={l.mine ? 'chat-line chat-mine' : 'chat-line'}>
            <span className="chat-meta">
              <span className="chat-name">{l.mine ? t('call.you') : l.displayName}</span>{' '}
              {l.at && <time dateTime={l.at}>{formatTime(l.at, zone)}</time>}
            </span>
            <span className="chat-text">{l.text}</span>
          </li>
        ))}
      </ol>
      <form className="chat-form" onSubmit={submit}>
        <label htmlFor="call-chat-input" className="visually-hidden">
          {t('call.chat.label')}
        </label>
        <input
          ref={input}
          id="call-chat-input"
          type="text"
          value={draft}
          maxLength={CHAT_MAX}
          autoComplete="off"
          placeholder={t('call.chat.placeholder')}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" className="button button-primary" disabled={!connected || chatText(draft) === null}>
          {t('call.chat.send')}
        </button>
      </form>
      {failed && (
        <p className="chat-error" role="alert">
          {t('call.chat.offline')}
        </p>
      )}
    </aside>
  );
}
