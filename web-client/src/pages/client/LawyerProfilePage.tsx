import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, isApiError } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { timeZoneLabel } from '../../marketplace/catalog';
import { AreaTags, languageList } from '../../marketplace/ui/LawyerSummary';
import { PriceBreakdown } from '../../marketplace/ui/PriceBreakdown';
import { RatingDistribution } from '../../marketplace/ui/Rating';
import { ReviewItem } from '../../reviews/ui';
import { SlotPreview } from '../../marketplace/ui/SlotPicker';
import { UnbookedPayments } from '../../marketplace/ui/UnbookedPayments';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { errorText } from '../../ui/errors';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';
import { LoadError } from '../../ui/LoadError';

/** The consultation terms, to read and accept before paying; paying accepts exactly this text. */
function PayButton({ lawyerId }: { lawyerId: string }) {
  const { t } = useI18n();
  const terms = useLoad(() => api.consultationTerms(lawyerId), [lawyerId]);
  const [accepted, setAccepted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function onPay() {
    if (!terms.data) return;
    setBusy(true);
    setError(null);
    try {
      const checkout = await api.createCheckout(lawyerId, terms.data.body_sha256);
      // Stripe's page (or the local stand-in's); it sends the browser back to the payment page.
      window.location.assign(checkout.checkout_url);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return (
    <>
      {terms.error !== null && <LoadError error={terms.error} retry={terms.reload} />}
      {terms.data && (
        <div className="terms">
          <details>
            <summary>
              {t('terms.read')}: {terms.data.title}
            </summary>
            <pre className="contract-text" tabIndex={0}>
              {terms.data.body}
            </pre>
            <p className="muted small">
              SHA-256 <code className="hash">{terms.data.body_sha256}</code>
            </p>
          </details>
          <label className="checkbox">
            <input type="checkbox" checked={accepted} onChange={(e) => setAccepted(e.target.checked)} /> {t('terms.accept')}
          </label>
        </div>
      )}
      <ErrorAlert error={error} />
      {!accepted && terms.data && <p className="muted small">{t('terms.required')}</p>}
      <button type="button" className="button button-primary button-block button-large" onClick={onPay} disabled={busy || !accepted || !terms.data}>
        {busy ? t('lawyerPage.paying') : t('lawyerPage.pay')}
      </button>
    </>
  );
}

export function LawyerProfilePage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const { t, locale } = useI18n();
  const lawyer = useLoad(() => api.lawyer(id), [id]);
  const rating = useLoad(() => api.lawyerRating(id), [id]);
  const slots = useLoad(() => api.lawyerSlots(id), [id]);
  const reviews = useLoad(() => api.lawyerReviews(id), [id]);
  const cancelled = params.get('checkout') === 'cancelled';
  const l = lawyer.data;

  return (
    <>
      <p className="breadcrumb">
        <Link to="/client/lawyers">← {t('lawyerPage.back')}</Link>
      </p>
      {cancelled && (
        <p className="alert notice-warn" role="status">
          {t('lawyerPage.cancelled')}
        </p>
      )}
      <UnbookedPayments lawyerId={id} />
      {lawyer.error !== null && (
        <>
          <PageHeader title={t('section.client.findLawyer')} />
          <p className="alert alert-error" role="alert">
            {isApiError(lawyer.error, 'not_found') ? t('lawyerPage.notListed') : errorText(t, lawyer.error)}
          </p>
        </>
      )}
      {!l && lawyer.error === null && <Loading />}
      {l && (
        <>
          <PageHeader title={l.display_name}>
            <p className="lead">{t('lawyer.oab', { uf: l.oab_state, number: l.oab_number })}</p>
          </PageHeader>
          <div className="profile-layout">
            <div className="profile-main">
              <section className="card" aria-labelledby="about">
                <h2 id="about">{t('lawyerPage.about')}</h2>
                {l.bio ? <p className="bio">{l.bio}</p> : <p className="muted">{t('lawyerPage.noBio')}</p>}
              </section>
              <section className="card" aria-labelledby="facts">
                <h2 id="facts">{t('lawyerPage.facts')}</h2>
                <AreaTags areas={l.areas} />
                <dl className="facts">
                  <dt>{t('lawyer.languages')}</dt>
                  <dd>{languageList(l.languages, locale)}</dd>
                  <dt>{t('lawyer.duration')}</dt>
                  <dd>{t('lawyer.minutes', { minutes: l.consultation_minutes })}</dd>
                  <dt>{t('lawyer.timeZone')}</dt>
                  <dd>
                    {l.time_zone}
                    {timeZoneLabel(l.time_zone) && <span className="muted"> · {t(timeZoneLabel(l.time_zone)!)}</span>}
                  </dd>
                </dl>
              </section>
              <section className="card" aria-labelledby="rating">
                <h2 id="rating">{t('lawyerPage.rating')}</h2>
                {rating.data ? <RatingDistribution rating={rating.data} /> : rating.error !== null ? <p className="alert alert-error">{errorText(t, rating.error)}</p> : <Loading />}
              </section>
              <section aria-labelledby="reviews" className="reviews-section">
                <h2 id="reviews">{t('reviews.title')}</h2>
                {reviews.error !== null && <p className="alert alert-error">{errorText(t, reviews.error)}</p>}
                {!reviews.data && reviews.error === null && <Loading />}
                {reviews.data && reviews.data.length === 0 && <p className="empty">{t('reviews.empty')}</p>}
                {reviews.data?.map((r) => <ReviewItem key={r.id} review={r} />)}
              </section>
            </div>
            <aside className="profile-side">
              <section className="card pay-card" aria-labelledby="pay">
                <h2 id="pay" className="visually-hidden">
                  {t('lawyerPage.pay')}
                </h2>
                <PriceBreakdown feeCents={l.fee_cents} serviceFeeCents={l.service_fee_cents} totalCents={l.total_cents} minutes={l.consultation_minutes} />
                <PayButton lawyerId={l.id} />
                <p className="muted small">{t('lawyerPage.howItWorks')}</p>
                <p className="muted small">{t('price.note')}</p>
              </section>
              <section className="card" aria-labelledby="slots">
                <h2 id="slots">{t('lawyerPage.slots')}</h2>
                {slots.error !== null && <p className="alert alert-error">{errorText(t, slots.error)}</p>}
                {slots.data &&
                  (slots.data.slots.length > 0 ? (
                    <SlotPreview slots={slots.data.slots} lawyerZone={slots.data.time_zone} />
                  ) : (
                    <p className="muted">{t('lawyerPage.slots.none')}</p>
                  ))}
                {!slots.data && slots.error === null && <Loading />}
              </section>
            </aside>
          </div>
        </>
      )}
    </>
  );
}
