import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, type ContractDetail, type ContractVersion } from '../../api/client';
import { useSignedIn } from '../../auth/SessionProvider';
import { actionsFor, currentVersion, draftVersion, type ContractAction } from '../../contracts/contracts';
import { useI18n } from '../../i18n/I18nProvider';
import { ROLE_HOME } from '../../layout/nav';
import { formatInstant } from '../../time/format';
import { ReasonlessConfirm } from '../../ui/Confirm';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Field } from '../../ui/Field';
import { LoadError } from '../../ui/LoadError';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { ReasonDialog } from '../../ui/ReasonDialog';
import { useLoad } from '../../ui/useLoad';
import { ContractStatusTag } from './ContractStatusTag';

/** One version: its text, its hash, its files. */
function VersionBlock({ contractId, version, open }: { contractId: string; version: ContractVersion; open: boolean }) {
  const { t, locale } = useI18n();
  return (
    <details className="card contract-version" open={open}>
      <summary>
        <strong>{t('contract.version', { n: version.number })}</strong>
        {version.sent_at ? <span className="muted"> · {t('contract.sentAt', { at: formatInstant(version.sent_at, locale) })}</span> : <span className="tag tag-neutral">{t('contractStatus.draft')}</span>}
        {version.superseded_at && <span className="muted"> · {t('contract.superseded')}</span>}
      </summary>
      {!version.sent_at && <p className="alert alert-info">{t('contract.draft')}</p>}
      {version.sent_at && version.expires_at && !version.superseded_at && <p className="muted">{t('contract.expiresAt', { at: formatInstant(version.expires_at, locale) })}</p>}
      <pre className="contract-text" tabIndex={0}>
        {version.body}
      </pre>
      <dl className="facts">
        <dt>{t('contract.hash')}</dt>
        <dd>
          <code className="hash" data-testid={`hash-v${version.number}`}>
            {version.body_sha256}
          </code>
        </dd>
      </dl>
      {version.sent_at && (
        <>
          <p className="muted small">{t('contract.hashHelp')}</p>
          <p className="actions">
            <a className="button" href={api.contractFileUrl(contractId, version.number, 'pdf')} download>
              {t('contract.pdf')}
            </a>
            <a className="button button-quiet" href={api.contractFileUrl(contractId, version.number, 'text')} download>
              {t('contract.text')}
            </a>
          </p>
        </>
      )}
    </details>
  );
}

/** The lawyer's editor of the unsent version, with "send". */
function DraftEditor({ detail, onChange }: { detail: ContractDetail; onChange: (d: ContractDetail, note: string) => void }) {
  const { t } = useI18n();
  const draft = draftVersion(detail.versions)!;
  const firstDraft = detail.contract.status === 'draft';
  const [title, setTitle] = useState(detail.contract.title);
  const [body, setBody] = useState(draft.body);
  const [days, setDays] = useState(7);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<ContractDetail>, done: string) {
    setBusy(true);
    setError(null);
    try {
      onChange(await action(), done);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const save = () => api.editDraft(detail.contract.id, firstDraft ? { title, body } : { body });

  async function onSave(e: FormEvent) {
    e.preventDefault();
    await run(save, t('contract.edit.saved'));
  }
  async function onSend() {
    await run(async () => {
      await save();
      return api.sendContract(detail.contract.id, days);
    }, t('contract.send.sent', { n: draft.number }));
  }

  return (
    <section className="card" aria-labelledby="draft-editor">
      <h2 id="draft-editor">{t('contract.version', { n: draft.number })}</h2>
      <form onSubmit={onSave}>
        {firstDraft && (
          <Field id="contract-title" label={t('contract.edit.title')}>
            <input type="text" value={title} onChange={(e) => setTitle(e.target.value)} minLength={3} maxLength={120} required />
          </Field>
        )}
        <Field id="contract-body" label={t('contract.edit.body')}>
          <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={16} minLength={20} required />
        </Field>
        <div className="form-row form-row-end">
          <Field id="contract-days" label={t('contract.send.days')}>
            <input type="number" min={1} max={60} value={days} onChange={(e) => setDays(Number(e.target.value))} />
          </Field>
          <button type="submit" className="button" disabled={busy}>
            {t('contract.edit.save')}
          </button>
          <button type="button" className="button button-primary" disabled={busy} onClick={onSend}>
            {t('contract.send.submit')}
          </button>
        </div>
      </form>
      <ErrorAlert error={error} />
    </section>
  );
}

/** The client's answer to the current version: read, tick, accept (or decline). */
function AnswerForm({ detail, onChange, onDecline }: { detail: ContractDetail; onChange: (d: ContractDetail) => void; onDecline: () => void }) {
  const { t } = useI18n();
  const version = currentVersion(detail.versions)!;
  const [read, setRead] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function onAccept(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onChange(await api.answerContract(detail.contract.id, true, { version: version.number, body_sha256: version.body_sha256 }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="card" onSubmit={onAccept} aria-label={t('contract.accept.submit')}>
      <label className="checkbox">
        <input type="checkbox" checked={read} onChange={(e) => setRead(e.target.checked)} /> {t('contract.accept.check', { n: version.number })}
      </label>
      <p className="actions">
        <button type="submit" className="button button-primary" disabled={!read || busy}>
          {t('contract.accept.submit')}
        </button>
        <button type="button" className="button button-danger" onClick={onDecline} disabled={busy}>
          {t('contract.decline')}
        </button>
      </p>
      <ErrorAlert error={error} />
    </form>
  );
}

type Dialog = 'decline' | 'terminate' | 'activate' | 'complete' | null;

/** A contract: its versions, its answer, and the steps the caller may take. */
export function ContractPage() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const { user } = useSignedIn();
  const loaded = useLoad(() => api.contract(id), [id]);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const d = loaded.data;
  const actions: ContractAction[] = d ? actionsFor(d, user.role) : [];
  const base = `${ROLE_HOME[user.role]}/contracts`;

  async function newVersion() {
    setError(null);
    try {
      loaded.setData(await api.newContractVersion(id));
    } catch (e) {
      setError(e);
    }
  }

  return (
    <>
      <p className="breadcrumb">
        <Link to={base}>← {t('contract.back')}</Link>
      </p>
      {loaded.error !== null && <LoadError error={loaded.error} retry={loaded.reload} />}
      {!d && loaded.error === null && <Loading />}
      {d && (
        <>
          <PageHeader title={d.contract.title}>
            <p className="lead">
              <ContractStatusTag status={d.contract.status} /> {t(`contractKind.${d.contract.kind === 'consultation_terms' ? 'consultation_terms' : 'fee_agreement'}`)} ·{' '}
              {t('contract.parties', { client: d.contract.client_name, lawyer: d.contract.lawyer_name })}
            </p>
          </PageHeader>
          {d.contract.kind === 'consultation_terms' && <p className="alert alert-info">{t('contract.followsSession')}</p>}
          {d.answer && (
            <p className={d.answer.answer === 'accepted' ? 'alert alert-ok' : 'alert alert-error'} role="status">
              {t(d.answer.answer === 'accepted' ? 'contract.answer.accepted' : 'contract.answer.declined', { at: formatInstant(d.answer.answered_at, locale), n: d.answer.version })}
              {d.answer.ip && <span className="muted"> {t('contract.answer.origin', { ip: d.answer.ip })}</span>}
            </p>
          )}
          {d.contract.end_reason && <p className="muted">{t('contract.endReason', { reason: d.contract.end_reason })}</p>}
          <ErrorAlert error={error} />
          {note && (
            <p className="alert alert-ok" role="status">
              {note}
            </p>
          )}
          {actions.includes('edit') && (
            <DraftEditor
              key={d.versions.length}
              detail={d}
              onChange={(next, done) => {
                loaded.setData(next);
                setNote(done);
              }}
            />
          )}
          {actions.includes('accept') && <AnswerForm detail={d} onChange={loaded.setData} onDecline={() => setDialog('decline')} />}
          {(actions.includes('newVersion') || actions.includes('activate') || actions.includes('complete') || actions.includes('terminate')) && (
            <p className="actions">
              {actions.includes('newVersion') && (
                <button type="button" className="button" onClick={newVersion}>
                  {t('contract.newVersion')}
                </button>
              )}
              {actions.includes('activate') && (
                <button type="button" className="button button-primary" onClick={() => setDialog('activate')}>
                  {t('contract.activate')}
                </button>
              )}
              {actions.includes('complete') && (
                <button type="button" className="button button-primary" onClick={() => setDialog('complete')}>
                  {t('contract.complete')}
                </button>
              )}
              {actions.includes('terminate') && (
                <button type="button" className="button button-danger" onClick={() => setDialog('terminate')}>
                  {t('contract.terminate')}
                </button>
              )}
            </p>
          )}
          <section aria-labelledby="versions">
            <h2 id="versions">{t('contract.versions')}</h2>
            {[...d.versions].reverse().map((v, i) => (
              <VersionBlock key={v.number} contractId={d.contract.id} version={v} open={i === 0} />
            ))}
          </section>
          {(dialog === 'decline' || dialog === 'terminate') && (
            <ReasonDialog
              title={t(dialog === 'decline' ? 'contract.decline.title' : 'contract.terminate.title')}
              body={t(dialog === 'decline' ? 'contract.decline.body' : 'contract.terminate.body')}
              confirmLabel={t(dialog === 'decline' ? 'contract.decline' : 'contract.terminate')}
              danger
              onConfirm={async (reason) => {
                const v = currentVersion(d.versions)!;
                loaded.setData(
                  dialog === 'decline'
                    ? await api.answerContract(id, false, { version: v.number, body_sha256: v.body_sha256, reason })
                    : await api.terminateContract(id, reason),
                );
                setDialog(null);
              }}
              onClose={() => setDialog(null)}
            />
          )}
          {(dialog === 'activate' || dialog === 'complete') && (
            <ReasonlessConfirm
              title={t(dialog === 'activate' ? 'contract.activate.title' : 'contract.complete.title')}
              body={t(dialog === 'activate' ? 'contract.activate.body' : 'contract.complete.body')}
              confirmLabel={t(dialog === 'activate' ? 'contract.activate' : 'contract.complete')}
              onConfirm={async () => {
                loaded.setData(await api.progressContract(id, dialog));
                setDialog(null);
              }}
              onClose={() => setDialog(null)}
            />
          )}
        </>
      )}
    </>
  );
}
