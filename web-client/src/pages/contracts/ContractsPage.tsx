import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import { useSignedIn } from '../../auth/SessionProvider';
import { useI18n } from '../../i18n/I18nProvider';
import { formatInstant } from '../../time/format';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Field } from '../../ui/Field';
import { LoadError } from '../../ui/LoadError';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';
import { ContractTable } from './ContractTable';

/** The lawyer's form for a fee agreement: a template and a held consultation. */
function NewFeeAgreement() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const templates = useLoad(() => api.contractTemplates(), []);
  const sessions = useLoad(() => api.sessions(), []);
  const [template, setTemplate] = useState('');
  const [session, setSession] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fees = templates.data?.filter((x) => x.kind === 'fee_agreement') ?? [];
  const held = sessions.data?.filter((s) => s.status === 'completed') ?? [];

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const made = await api.draftContract({ template_id: template || fees[0]!.id, session_id: session || held[0]!.id });
      navigate(`/lawyer/contracts/${made.contract.id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  if (!templates.data || !sessions.data) return templates.error || sessions.error ? <LoadError error={templates.error ?? sessions.error} retry={() => (templates.reload(), sessions.reload())} /> : <Loading />;
  return (
    <section className="card" aria-labelledby="new-contract">
      <h2 id="new-contract">{t('contracts.new')}</h2>
      {fees.length === 0 && <p className="muted">{t('contracts.new.noTemplates')}</p>}
      {fees.length > 0 && held.length === 0 && <p className="muted">{t('contracts.new.noSessions')}</p>}
      {fees.length > 0 && held.length > 0 && (
        <form onSubmit={onSubmit} className="form-row">
          <Field id="contract-template" label={t('contracts.new.template')}>
            <select value={template || fees[0]!.id} onChange={(e) => setTemplate(e.target.value)}>
              {fees.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.title}
                </option>
              ))}
            </select>
          </Field>
          <Field id="contract-session" label={t('contracts.new.session')}>
            <select value={session || held[0]!.id} onChange={(e) => setSession(e.target.value)}>
              {held.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.client_name} · {formatInstant(s.start, locale)}
                </option>
              ))}
            </select>
          </Field>
          <button type="submit" className="button button-primary" disabled={busy}>
            {t('contracts.new.create')}
          </button>
        </form>
      )}
      <ErrorAlert error={error} />
    </section>
  );
}

/** "Contratos" for clients and lawyers: their documents with status. */
export function ContractsPage() {
  const { t } = useI18n();
  const { user } = useSignedIn();
  const role = user.role;
  const rows = useLoad(() => api.contracts(), []);
  const base = role === 'LAWYER' ? '/lawyer/contracts' : '/client/contracts';
  return (
    <>
      <PageHeader title={t(role === 'LAWYER' ? 'section.lawyer.contracts' : 'section.client.contracts')}>
        <p className="lead">{t(role === 'LAWYER' ? 'contracts.lead.LAWYER' : 'contracts.lead.CLIENT')}</p>
      </PageHeader>
      {role === 'LAWYER' && <NewFeeAgreement />}
      {rows.error !== null && <LoadError error={rows.error} retry={rows.reload} />}
      {!rows.data && rows.error === null && <Loading />}
      {rows.data && <ContractTable rows={rows.data} base={base} label={t('section.client.contracts')} />}
    </>
  );
}
