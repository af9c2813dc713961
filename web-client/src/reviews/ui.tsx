import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { api, isApiError, type LegalSession, type Review } from '../api/client';
import { isMessageKey } from '../i18n/messages';
import { useI18n } from '../i18n/I18nProvider';
import { formatInstant } from '../time/format';
import { errorText } from '../ui/errors';
import { Field } from '../ui/Field';
import { Modal } from '../ui/Modal';

export const COMMENT_MAX = 2000;
export const REPLY_MAX = 2000;
export const TICKET_BODY_MAX = 5000;

/** ★★★★☆ with its number for screen readers. */
export function Stars({ n }: { n: number }) {
  const { t } = useI18n();
  return (
    <span className="stars" role="img" aria-label={t('stars.label', { n })}>
      {'★'.repeat(n)}
      <span className="stars-off">{'★'.repeat(Math.max(0, 5 - n))}</span>
    </span>
  );
}

/** One review as anyone may read it, with the lawyer's reply; `children` adds actions. */
export function ReviewItem({ review: r, heading, children }: { review: Review; heading?: ReactNode; children?: ReactNode }) {
  const { t, locale } = useI18n();
  return (
    <article className="card review">
      <header className="review-head">
        <Stars n={r.rating} />
        <span className="muted small">
          {heading ?? t('reviews.by', { name: r.author_name })} ·{' '}
          <time dateTime={r.created_at}>{formatInstant(r.created_at, locale)}</time>
        </span>
        {r.hidden && <span className="tag tag-danger">{t('reviews.hiddenTag')}</span>}
      </header>
      <p className="review-comment">{r.comment.trim() || <span className="muted">{t('reviews.noComment')}</span>}</p>
      {r.lawyer_reply && (
        <blockquote className="review-reply">
          <p className="small">
            <strong>{t('reviews.reply')}</strong>
            {r.lawyer_reply_at && (
              <>
                {' · '}
                <time dateTime={r.lawyer_reply_at}>{t('reviews.replyAt', { when: formatInstant(r.lawyer_reply_at, locale) })}</time>
              </>
            )}
          </p>
          <p>{r.lawyer_reply}</p>
        </blockquote>
      )}
      {children}
    </article>
  );
}

/** A modal form: shows the request's refusal inside and stays open. */
function FormModal({
  title,
  submitLabel,
  onSubmit,
  onClose,
  children,
  danger,
  errorPrefix,
}: {
  title: string;
  submitLabel: string;
  /** Messages for this form's refusals first: `${errorPrefix}${code}` when it exists. */
  errorPrefix?: string;
  /** Returns false when the form is not valid yet (nothing sent). */
  onSubmit: () => Promise<boolean>;
  onClose: () => void;
  children: ReactNode;
  danger?: boolean;
}) {
  const { t } = useI18n();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal title={title} onClose={onClose}>
      {(close) => (
        <form
          noValidate
          onSubmit={async (e: FormEvent) => {
            e.preventDefault();
            setFailure(null);
            setBusy(true);
            try {
              await onSubmit();
            } catch (err) {
              const own = errorPrefix && isApiError(err) ? `${errorPrefix}${err.code}` : '';
              setFailure(own && isMessageKey(own) ? t(own) : errorText(t, err));
            }
            setBusy(false);
          }}
        >
          {failure && (
            <p className="alert alert-error" role="alert">
              {failure}
            </p>
          )}
          {children}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={close} disabled={busy}>
              {t('common.cancel')}
            </button>
            <button type="submit" className={danger ? 'button button-danger' : 'button button-primary'} disabled={busy}>
              {submitLabel}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
export { FormModal };

/** The client's review of a completed session: 1–5 stars and an optional comment. */
export function ReviewDialog({ session, onDone, onClose }: { session: LegalSession; onDone: (r: Review) => void; onClose: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<{ rating?: string; comment?: string }>({});
  async function submit(): Promise<boolean> {
    const found: typeof errors = {};
    if (rating < 1 || rating > 5) found.rating = t('review.ratingMissing');
    if (comment.trim().length > COMMENT_MAX) found.comment = t('review.commentTooLong', { max: COMMENT_MAX });
    setErrors(found);
    if (found.rating || found.comment) {
      document.getElementById(found.rating ? `${id}-r1` : `${id}-comment`)?.focus();
      return false;
    }
    onDone(await api.postReview(session.id, { rating, comment: comment.trim() }));
    return true;
  }
  return (
    <FormModal title={t('review.title', { name: session.lawyer_name })} errorPrefix="review.error." submitLabel={t('review.submit')} onSubmit={submit} onClose={onClose}>
      <p>{t('review.body')}</p>
      <fieldset className={errors.rating ? 'star-choice field-invalid' : 'star-choice'} aria-describedby={errors.rating ? `${id}-rating-error` : undefined}>
        <legend>{t('review.rating')}</legend>
        <div className="star-options">
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} htmlFor={`${id}-r${n}`} className="star-option">
              <input
                type="radio"
                id={`${id}-r${n}`}
                name={`${id}-rating`}
                value={n}
                checked={rating === n}
                onChange={() => {
                  setRating(n);
                  setErrors((e) => ({ ...e, rating: undefined }));
                }}
              />
              <span aria-hidden="true">{'★'.repeat(n)}</span>
              <span className="visually-hidden">{n === 1 ? t('review.ratingOptionOne') : t('review.ratingOption', { n })}</span>
            </label>
          ))}
        </div>
        {errors.rating && (
          <p className="field-error" id={`${id}-rating-error`}>
            {errors.rating}
          </p>
        )}
      </fieldset>
      <Field id={`${id}-comment`} label={<>{t('review.comment')} <span className="muted">{t('common.optional')}</span></>} hint={t('review.commentHint', { max: COMMENT_MAX })} error={errors.comment}>
        <textarea rows={4} value={comment} maxLength={COMMENT_MAX} onChange={(e) => setComment(e.target.value)} />
      </Field>
    </FormModal>
  );
}

/** One required text, e.g. a no-show report or a reply. */
export function TextDialog({
  title,
  body,
  label,
  hint,
  max,
  missing,
  submitLabel,
  send,
  onClose,
  children,
  danger,
}: {
  title: string;
  body?: string;
  label: string;
  hint: string;
  max: number;
  missing: string;
  submitLabel: string;
  send: (text: string) => Promise<void>;
  onClose: () => void;
  children?: ReactNode;
  danger?: boolean;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  async function submit(): Promise<boolean> {
    if (!text.trim()) {
      setError(missing);
      document.getElementById(`${id}-text`)?.focus();
      return false;
    }
    await send(text.trim());
    return true;
  }
  return (
    <FormModal title={title} submitLabel={submitLabel} onSubmit={submit} onClose={onClose} danger={danger}>
      {body && <p>{body}</p>}
      {children}
      <Field id={`${id}-text`} label={label} hint={hint} error={error}>
        <textarea
          rows={4}
          value={text}
          maxLength={max}
          onChange={(e) => {
            setText(e.target.value);
            setError(undefined);
          }}
          autoFocus
        />
      </Field>
    </FormModal>
  );
}

export function NoShowDialog({ session, onDone, onClose }: { session: LegalSession; onDone: () => void; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <TextDialog
      title={t('noShow.title')}
      body={t('noShow.body')}
      label={t('noShow.field')}
      hint={t('noShow.hint', { max: TICKET_BODY_MAX })}
      max={TICKET_BODY_MAX}
      missing={t('noShow.missing')}
      submitLabel={t('noShow.submit')}
      send={async (text) => {
        await api.reportNoShow(session.id, text);
        onDone();
      }}
      onClose={onClose}
    />
  );
}
