import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, VERIFICATION_STATUSES, type OwnProfile, type VerificationStatus } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { timeZoneLabel } from '../../marketplace/catalog';
import { formatBRL } from '../../marketplace/money';
import { AreaTags, languageList } from '../../marketplace/ui/LawyerSummary';
import { formatInstant } from '../../time/format';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { ReasonDialog } from '../../ui/ReasonDialog';
import { useLoad } from '../../ui/useLoad';
import { LoadError } from '../../ui/LoadError';

/** The OAB's national registry, where an admin checks a registration by hand. */
const CNA_URL = 'https://cna.oab.org.br/';

type Decision = { lawyer: OwnProfile; action: 'verify' | 'reject' };

function LawyerToCheck({ lawyer, onDecide }: { lawyer: OwnProfile; onDecide: (d: Decision) => void }) {
  const { t, locale } = useI18n();
  const status = lawyer.verification_status;
  const headingId = `lawyer-${lawyer.user_id}`;
  const zone = timeZoneLabel(lawyer.time_zone);
  return (
    <article className="card verification-card" aria-labelledby={headingId}>
      <header className="session-card-head">
        <h2 id={headingId} className="lawyer-name">
          {lawyer.display_name}
        </h2>
        <span className="oab-badge">{t('lawyer.oab', { uf: lawyer.oab_state, number: lawyer.oab_number })}</span>
      </header>
      <AreaTags areas={lawyer.areas} />
      <dl className="facts">
        <dt>{t('lawyer.languages')}</dt>
        <dd>{languageList(lawyer.languages, locale)}</dd>
        <dt>{t('verification.fee')}</dt>
        <dd>
          {formatBRL(lawyer.fee_cents, locale)} · {t('lawyer.minutes', { minutes: lawyer.consultation_minutes })}
        </dd>
        <dt>{t('lawyer.timeZone')}</dt>
        <dd>{zone ? t(zone) : lawyer.time_zone}</dd>
        {lawyer.verified_at && (
          <>
            <dt>{t('verification.tab.verified')}</dt>
            <dd>{t('verification.verifiedAt', { date: formatInstant(lawyer.verified_at, locale) })}</dd>
          </>
        )}
      </dl>
      {lawyer.bio && <p className="bio bio-short">{lawyer.bio}</p>}
      <div className="session-actions">
        {status !== 'verified' && (
          <button type="button" className="button button-primary" onClick={() => onDecide({ lawyer, action: 'verify' })}>
            {t('verification.verify')}
            <span className="visually-hidden"> {lawyer.display_name}</span>
          </button>
        )}
        {status !== 'rejected' && (
          <button type="button" className="button button-danger-outline" onClick={() => onDecide({ lawyer, action: 'reject' })}>
            {t('verification.reject')}
            <span className="visually-hidden"> {lawyer.display_name}</span>
          </button>
        )}
        <a className="button button-quiet" href={CNA_URL} target="_blank" rel="noreferrer">
          {t('verification.cna')}
        </a>
      </div>
    </article>
  );
}

export function LawyersPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const raw = params.get('status') ?? 'pending';
  const status: VerificationStatus = (VERIFICATION_STATUSES as readonly string[]).includes(raw) ? (raw as VerificationStatus) : 'pending';
  const lawyers = useLoad(() => api.adminLawyers(status), [status]);
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function onConfirm(reason: string) {
    if (!deciding) return;
    const { lawyer, action } = deciding;
    const updated = action === 'verify' ? await api.verifyLawyer(lawyer.user_id, reason) : await api.rejectLawyer(lawyer.user_id, reason);
    lawyers.setData((lawyers.data ?? []).filter((l) => l.user_id !== updated.user_id || updated.verification_status === status));
    setDeciding(null);
    setDone(t(action === 'verify' ? 'verification.verified' : 'verification.rejected', { name: updated.display_name }));
  }

  return (
    <>
      <PageHeader title={t('section.admin.lawyerVerification')}>
        <p className="lead">{t('verification.intro')}</p>
      </PageHeader>
      <nav className="tabs" aria-label={t('verification.tabs')}>
        {VERIFICATION_STATUSES.map((s) => (
          <Link
            key={s}
            to={s === 'pending' ? '/admin/lawyers' : `/admin/lawyers?status=${s}`}
            className="tab"
            aria-current={s === status ? 'page' : undefined}
            onClick={() => setDone(null)}
          >
            {t(`verification.tab.${s}`)}
          </Link>
        ))}
      </nav>
      <div role="status" className="status-line">
        {done && <p className="alert alert-ok">{done}</p>}
      </div>
      {lawyers.error !== null && <LoadError error={lawyers.error} retry={lawyers.reload} />}
      {lawyers.loading && <Loading />}
      {!lawyers.loading && lawyers.data && lawyers.data.length === 0 && <p className="empty">{t('verification.empty')}</p>}
      {!lawyers.loading && lawyers.data?.map((l) => <LawyerToCheck key={l.user_id} lawyer={l} onDecide={setDeciding} />)}
      {deciding && (
        <ReasonDialog
          title={t(deciding.action === 'verify' ? 'verification.verifyTitle' : 'verification.rejectTitle', { name: deciding.lawyer.display_name })}
          body={t(deciding.action === 'verify' ? 'verification.verifyBody' : 'verification.rejectBody')}
          confirmLabel={t(deciding.action === 'verify' ? 'verification.verifyConfirm' : 'verification.rejectConfirm')}
          danger={deciding.action === 'reject'}
          onConfirm={onConfirm}
          onClose={() => setDeciding(null)}
        />
      )}
    </>
  );
}
