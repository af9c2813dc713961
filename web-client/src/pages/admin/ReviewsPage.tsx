import { useId, useState } from 'react';
import { api, MODERATION_REASONS, type ModerationReason, type Review } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { FormModal, ReviewItem, TextDialog } from '../../reviews/ui';
import { Field } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';
import { LoadError } from '../../ui/LoadError';

const NOTE_MAX = 2000;
type Filter = 'all' | 'visible' | 'hidden';

function HideDialog({ review, onDone, onClose }: { review: Review; onDone: (r: Review) => void; onClose: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const [reason, setReason] = useState<ModerationReason>('abuse');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | undefined>();
  return (
    <FormModal
      title={t('adminReviews.hideTitle', { name: review.author_name })}
      submitLabel={t('adminReviews.hide')}
      danger
      onClose={onClose}
      onSubmit={async () => {
        if (!note.trim()) {
          setError(t('adminReviews.noteMissing'));
          document.getElementById(`${id}-note`)?.focus();
          return false;
        }
        onDone(await api.hideReview(review.id, reason, note.trim()));
        return true;
      }}
    >
      <p>{t('adminReviews.hideBody')}</p>
      <ReviewItem review={review} />
      <Field id={`${id}-reason`} label={t('adminReviews.reason')}>
        <select value={reason} onChange={(e) => setReason(e.target.value as ModerationReason)}>
          {MODERATION_REASONS.map((r) => (
            <option key={r} value={r}>
              {t(`adminReviews.reason.${r}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field id={`${id}-note`} label={t('adminReviews.note')} hint={t('adminReviews.noteHint')} error={error}>
        <textarea rows={3} value={note} maxLength={NOTE_MAX} onChange={(e) => { setNote(e.target.value); setError(undefined); }} />
      </Field>
    </FormModal>
  );
}

/** "Avaliações": moderation by policy (hide with a reason and note; restore with a note). */
export function AdminReviewsPage() {
  const { t } = useI18n();
  const [filter, setFilter] = useState<Filter>('all');
  const reviews = useLoad(() => api.adminReviews(filter === 'all' ? undefined : filter === 'hidden'), [filter]);
  const [acting, setActing] = useState<{ review: Review; action: 'hide' | 'restore' } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const replace = (r: Review) => reviews.setData((reviews.data ?? []).map((x) => (x.id === r.id ? r : x)));
  return (
    <>
      <PageHeader title={t('section.admin.reviews')}>
        <p className="lead">{t('adminReviews.lead')}</p>
      </PageHeader>
      <div className="filters card">
        <Field id="reviews-filter" label={t('adminReviews.filter')}>
          <select value={filter} onChange={(e) => { setDone(null); setFilter(e.target.value as Filter); }}>
            {(['all', 'visible', 'hidden'] as const).map((f) => (
              <option key={f} value={f}>
                {t(`adminReviews.filter.${f}`)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div role="status" className="status-line">
        {done && <p className="alert alert-ok">{done}</p>}
      </div>
      {reviews.error !== null && <LoadError error={reviews.error} retry={reviews.reload} />}
      {reviews.loading && !reviews.data && <Loading />}
      {reviews.data && reviews.data.length === 0 && <p className="empty">{t('adminReviews.empty')}</p>}
      {reviews.data?.map((r) => (
        <ReviewItem key={r.id} review={r}>
          <div className="session-actions">
            {r.hidden ? (
              <button type="button" className="button button-small" onClick={() => { setDone(null); setActing({ review: r, action: 'restore' }); }}>
                {t('adminReviews.restore')}
                <span className="visually-hidden"> — {t('reviews.by', { name: r.author_name })}</span>
              </button>
            ) : (
              <button type="button" className="button button-small button-danger-outline" onClick={() => { setDone(null); setActing({ review: r, action: 'hide' }); }}>
                {t('adminReviews.hide')}
                <span className="visually-hidden"> — {t('reviews.by', { name: r.author_name })}</span>
              </button>
            )}
          </div>
        </ReviewItem>
      ))}
      {acting?.action === 'hide' && (
        <HideDialog
          review={acting.review}
          onDone={(r) => {
            replace(r);
            setActing(null);
            setDone(t('adminReviews.hidden'));
          }}
          onClose={() => setActing(null)}
        />
      )}
      {acting?.action === 'restore' && (
        <TextDialog
          title={t('adminReviews.restoreTitle', { name: acting.review.author_name })}
          body={t('adminReviews.restoreBody')}
          label={t('adminReviews.note')}
          hint={t('field.reason.hint', { min: 1, max: NOTE_MAX })}
          max={NOTE_MAX}
          missing={t('adminReviews.noteMissing')}
          submitLabel={t('adminReviews.restore')}
          send={async (note) => {
            replace(await api.restoreReview(acting.review.id, note));
            setActing(null);
            setDone(t('adminReviews.restored'));
          }}
          onClose={() => setActing(null)}
        />
      )}
    </>
  );
}
