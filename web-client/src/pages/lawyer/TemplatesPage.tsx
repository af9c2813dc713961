import { useState, type FormEvent } from 'react';
import { api, type ContractKind, type ContractTemplate } from '../../api/client';
import { checkTemplate, PLACEHOLDERS } from '../../contracts/contracts';
import { useI18n } from '../../i18n/I18nProvider';
import { ReasonlessConfirm } from '../../ui/Confirm';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Field } from '../../ui/Field';
import { LoadError } from '../../ui/LoadError';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';

const KINDS: readonly ContractKind[] = ['consultation_terms', 'fee_agreement'];

/** Writes or changes one template; the placeholders are checked as you type. */
function TemplateForm({ editing, onSaved, onCancel }: { editing: ContractTemplate | null; onSaved: () => void; onCancel?: () => void }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<ContractKind>((editing?.kind as ContractKind | undefined) ?? 'fee_agreement');
  const [title, setTitle] = useState(editing?.title ?? '');
  const [body, setBody] = useState(editing?.body ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const check = checkTemplate(kind, body);
  const problem = check.unclosed ? t('templates.unclosed') : check.unknown.length > 0 ? t('templates.unknown', { list: check.unknown.join(', ') }) : undefined;
  const prefix = editing ? `template-${editing.id}` : 'template-new';

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (problem) return;
    setBusy(true);
    setError(null);
    try {
      if (editing) await api.updateTemplate(editing.id, { title, body });
      else await api.createTemplate({ kind, title, body });
      if (!editing) {
        setTitle('');
        setBody('');
      }
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="card" aria-label={editing ? editing.title : t('templates.new')}>
      {!editing && <h2>{t('templates.new')}</h2>}
      {!editing && (
        <Field id={`${prefix}-kind`} label={t('templates.kind')}>
          <select value={kind} onChange={(e) => setKind(e.target.value as ContractKind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`contractKind.${k}`)}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field id={`${prefix}-title`} label={t('templates.title')}>
        <input type="text" value={title} onChange={(e) => setTitle(e.target.value)} minLength={3} maxLength={120} required />
      </Field>
      <Field id={`${prefix}-body`} label={t('templates.body')} hint={t('templates.placeholders', { list: PLACEHOLDERS[kind].map((p) => `{{${p}}}`).join(' ') })} error={problem}>
        <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={12} minLength={20} required />
      </Field>
      <ErrorAlert error={error} />
      <p className="actions">
        <button type="submit" className="button button-primary" disabled={busy || problem !== undefined}>
          {editing ? t('templates.save') : t('templates.create')}
        </button>
        {onCancel && (
          <button type="button" className="button button-quiet" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </p>
    </form>
  );
}

/** "Modelos": the lawyer's templates of consultation terms and fee agreements. */
export function TemplatesPage() {
  const { t } = useI18n();
  const list = useLoad(() => api.contractTemplates(), []);
  const [editing, setEditing] = useState<string | null>(null);
  const [archiving, setArchiving] = useState<ContractTemplate | null>(null);
  const hasTerms = list.data?.some((x) => x.kind === 'consultation_terms') ?? true;
  return (
    <>
      <PageHeader title={t('section.lawyer.templates')}>
        <p className="lead">{t('templates.lead')}</p>
      </PageHeader>
      {!hasTerms && <p className="alert alert-info">{t('templates.defaultTerms')}</p>}
      {list.error !== null && <LoadError error={list.error} retry={list.reload} />}
      {!list.data && list.error === null && <Loading />}
      {list.data && list.data.length === 0 && <p className="empty">{t('templates.empty')}</p>}
      {list.data?.map((x) =>
        editing === x.id ? (
          <TemplateForm key={x.id} editing={x} onSaved={() => (setEditing(null), list.reload())} onCancel={() => setEditing(null)} />
        ) : (
          <article key={x.id} className="card">
            <h2>{x.title}</h2>
            <p className="muted">{t(`contractKind.${x.kind === 'consultation_terms' ? 'consultation_terms' : 'fee_agreement'}`)}</p>
            <pre className="contract-text">{x.body}</pre>
            <p className="actions">
              <button type="button" className="button" onClick={() => setEditing(x.id)}>
                {t('templates.edit')}
              </button>
              <button type="button" className="button button-danger-outline" onClick={() => setArchiving(x)}>
                {t('templates.archive')}
              </button>
            </p>
          </article>
        ),
      )}
      <TemplateForm editing={null} onSaved={list.reload} />
      {archiving && (
        <ReasonlessConfirm
          title={t('templates.archive.title')}
          body={t('templates.archive.body')}
          confirmLabel={t('templates.archive')}
          danger
          onConfirm={async () => {
            await api.archiveTemplate(archiving.id);
            setArchiving(null);
            list.reload();
          }}
          onClose={() => setArchiving(null)}
        />
      )}
    </>
  );
}
