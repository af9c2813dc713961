import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, type ChainReport, type Role } from '../../api/client';
import { hasErrors, validateAuditFilters, type FieldErrors } from '../../forms/validation';
import { useI18n } from '../../i18n/I18nProvider';
import { formatInstant } from '../../time/format';
import { errorText } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { LoadError } from '../../ui/LoadError';
import { useLoad } from '../../ui/useLoad';

const PAGE_SIZE = 50;
const FILTERS = ['action', 'actor_id', 'subject_kind', 'subject_id'] as const;
type FilterName = (typeof FILTERS)[number];
type Filters = Record<FilterName, string>;

function readFilters(params: URLSearchParams): Filters {
  return Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Filters;
}

function readBeforeSeq(params: URLSearchParams): number | null {
  const n = Number(params.get('before_seq'));
  return params.has('before_seq') && Number.isInteger(n) && n > 0 ? n : null;
}

function toParams(filters: Filters, beforeSeq: number | null): URLSearchParams {
  const p = new URLSearchParams();
  for (const f of FILTERS) if (filters[f].trim()) p.set(f, filters[f].trim());
  if (beforeSeq !== null) p.set('before_seq', String(beforeSeq));
  return p;
}

const short = (s: string, n = 8) => (s.length > n ? `${s.slice(0, n)}…` : s);
const isRole = (r: string | null | undefined): r is Role => r === 'CLIENT' || r === 'LAWYER' || r === 'PARTNER' || r === 'ADMIN';

export function AuditPage() {
  const { t, locale } = useI18n();
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState<Filters>(() => readFilters(params));
  const [formErrors, setFormErrors] = useState<FieldErrors<'actorId'>>({});
  // The before_seq of each page we came from, to step back towards the newest.
  const [newerPages, setNewerPages] = useState<(number | null)[]>([]);
  const [report, setReport] = useState<ChainReport | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [verifyError, setVerifyError] = useState<unknown>(null);
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());

  function toggle(seq: number) {
    setOpen((o) => {
      const next = new Set(o);
      if (next.has(seq)) next.delete(seq);
      else next.add(seq);
      return next;
    });
  }

  const key = params.toString();
  const beforeSeq = readBeforeSeq(params);

  // One more than a page is asked for, to know whether older entries exist.
  const list = useLoad(() => {
    const p = new URLSearchParams(key);
    const f = readFilters(p);
    return api
      .listAudit({
        action: f.action.trim() || undefined,
        actor_id: f.actor_id.trim() || undefined,
        subject_kind: f.subject_kind.trim() || undefined,
        subject_id: f.subject_id.trim() || undefined,
        before_seq: readBeforeSeq(p) ?? undefined,
        limit: PAGE_SIZE + 1,
      })
      .then((found) => ({ rows: found.slice(0, PAGE_SIZE), older: found.length > PAGE_SIZE }));
  }, [key]);
  // A new search shows nothing (not the last results) until it answers.
  const rows = list.loading ? null : (list.data?.rows ?? null);
  const hasOlder = list.data?.older ?? false;
  const error = list.error;

  // Links in the table (filter by actor or subject) change the URL: keep the form in step.
  useEffect(() => setForm(readFilters(new URLSearchParams(key))), [key]);

  function onFilter(e: FormEvent) {
    e.preventDefault();
    const found = validateAuditFilters({ actorId: form.actor_id });
    setFormErrors(found);
    if (hasErrors(found)) {
      document.getElementById('audit-actor_id')?.focus();
      return;
    }
    setNewerPages([]);
    setParams(toParams(form, null));
  }

  function onClear() {
    const empty = readFilters(new URLSearchParams());
    setForm(empty);
    setFormErrors({});
    setNewerPages([]);
    setParams(toParams(empty, null));
  }

  function older() {
    if (!rows || rows.length === 0) return;
    setNewerPages((s) => [...s, beforeSeq]);
    setParams(toParams(readFilters(params), rows[rows.length - 1]!.seq));
  }

  function newer() {
    const previous = newerPages[newerPages.length - 1] ?? null;
    setNewerPages((s) => s.slice(0, -1));
    setParams(toParams(readFilters(params), previous));
  }

  function latest() {
    setNewerPages([]);
    setParams(toParams(readFilters(params), null));
  }

  function showEntry(seq: number) {
    setNewerPages([]);
    setParams(toParams(readFilters(new URLSearchParams()), seq + 1));
  }

  async function verify() {
    setVerifying(true);
    setVerifyError(null);
    setReport(null);
    try {
      setReport(await api.verifyAudit());
    } catch (e) {
      setVerifyError(e);
    } finally {
      setVerifying(false);
    }
  }

  const filterLink = (extra: Partial<Filters>) => `?${toParams({ ...readFilters(new URLSearchParams()), ...extra }, null)}`;
  const badSeq = report && !report.intact ? (report.first_bad_seq ?? null) : null;

  return (
    <>
      <PageHeader title={t('admin.audit.title')}>
        <p className="lead">{t('admin.audit.intro')}</p>
      </PageHeader>

      <section className="card verify" aria-labelledby="verify-heading">
        <h2 id="verify-heading" className="visually-hidden">
          {t('admin.audit.verify')}
        </h2>
        <button type="button" className="button button-primary" onClick={verify} disabled={verifying}>
          {verifying ? t('admin.audit.verifying') : t('admin.audit.verify')}
        </button>
        <div aria-live="polite">
          {verifyError !== null && (
            <p className="alert alert-error" role="alert">
              {errorText(t, verifyError)}
            </p>
          )}
          {report?.intact && (
            <div className="alert alert-ok">
              <p>
                <strong>{t('admin.audit.verify.intact', { rows: report.rows_checked })}</strong>
              </p>
              <p>
                {t('admin.audit.verify.head')}: <code className="hash">{report.head_hash}</code>
              </p>
            </div>
          )}
          {report && !report.intact && (
            <div className="alert alert-error" role="alert">
              <p>
                <strong>
                  {badSeq !== null ? t('admin.audit.verify.broken', { seq: badSeq }) : t('admin.audit.verify.brokenNoSeq')}
                </strong>
              </p>
              {report.problem && <p>{t('admin.audit.verify.problem', { problem: report.problem })}</p>}
              <p>{t('admin.audit.verify.checkedBefore', { rows: report.rows_checked })}</p>
              {badSeq !== null && (
                <button type="button" className="button button-small" onClick={() => showEntry(badSeq)}>
                  {t('admin.audit.verify.show', { seq: badSeq })}
                </button>
              )}
            </div>
          )}
        </div>
      </section>

      <form className="filters card" role="search" aria-label={t('admin.audit.filters')} onSubmit={onFilter}>
        <Field id="audit-action" label={t('admin.audit.action')}>
          <input type="text" value={form.action} placeholder={t('admin.audit.action.placeholder')} onChange={(e) => setForm({ ...form, action: e.target.value })} />
        </Field>
        <Field
          id="audit-actor_id"
          label={t('admin.audit.actorId')}
          error={formErrors.actorId && t(formErrors.actorId.key, formErrors.actorId.vars)}
        >
          <input type="text" className="mono" spellCheck={false} value={form.actor_id} onChange={(e) => setForm({ ...form, actor_id: e.target.value })} />
        </Field>
        <Field id="audit-subject_kind" label={t('admin.audit.subjectKind')}>
          <input type="text" value={form.subject_kind} placeholder={t('admin.audit.subjectKind.placeholder')} onChange={(e) => setForm({ ...form, subject_kind: e.target.value })} />
        </Field>
        <Field id="audit-subject_id" label={t('admin.audit.subjectId')}>
          <input type="text" className="mono" spellCheck={false} value={form.subject_id} onChange={(e) => setForm({ ...form, subject_id: e.target.value })} />
        </Field>
        <div className="filters-actions">
          <button type="submit" className="button button-primary">
            {t('common.search')}
          </button>
          <button type="button" className="button" onClick={onClear}>
            {t('common.clearFilters')}
          </button>
        </div>
      </form>

      {error !== null && <LoadError error={error} retry={list.reload} />}
      {rows === null && error === null && <Loading />}
      {rows && rows.length === 0 && <p className="empty">{t('admin.audit.empty')}</p>}
      {rows && rows.length > 0 && (
        <>
          <p className="muted" role="status">
            {t('admin.audit.range', { from: rows[0]!.seq, to: rows[rows.length - 1]!.seq })}
          </p>
          <div className="table-wrap" role="region" aria-label={t('admin.audit.title')} tabIndex={0}>
            <table className="table table-audit">
              <thead>
                <tr>
                  <th scope="col">{t('admin.audit.col.seq')}</th>
                  <th scope="col">{t('admin.audit.col.at')}</th>
                  <th scope="col">{t('admin.audit.col.actor')}</th>
                  <th scope="col">{t('admin.audit.col.action')}</th>
                  <th scope="col">{t('admin.audit.col.subject')}</th>
                  <th scope="col">{t('admin.audit.col.reason')}</th>
                  <th scope="col">{t('admin.audit.col.hash')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => [
                  <tr key={r.seq} className={r.seq === badSeq ? 'row-bad' : undefined}>
                    <th scope="row" className="num">{r.seq}</th>
                    <td className="nowrap">
                      <time dateTime={r.at}>{formatInstant(r.at, locale)}</time>
                    </td>
                    <td>
                      {r.actor_id ? (
                        <>
                          {isRole(r.actor_role) ? t(`role.${r.actor_role}`) : r.actor_role}{' '}
                          <Link to={filterLink({ actor_id: r.actor_id })} className="mono" title={r.actor_id}>
                            {short(r.actor_id)}
                          </Link>
                        </>
                      ) : (
                        <span className="muted">{t('admin.audit.system')}</span>
                      )}
                    </td>
                    <td>
                      <code>{r.action}</code>
                    </td>
                    <td className="subject">
                      <Link to={filterLink({ subject_kind: r.subject_kind, subject_id: r.subject_id })} title={`${r.subject_kind} ${r.subject_id}`}>
                        {r.subject_kind} <span className="mono">{short(r.subject_id)}</span>
                      </Link>
                    </td>
                    <td className="reason">{r.reason ?? <span className="muted">—</span>}</td>
                    <td>
                      <button
                        type="button"
                        className="disclosure"
                        aria-expanded={open.has(r.seq)}
                        aria-controls={`entry-${r.seq}`}
                        onClick={() => toggle(r.seq)}
                      >
                        <code className="hash">{short(r.hash, 10)}</code>
                        <span className="visually-hidden"> {t('admin.audit.details')}</span>
                      </button>
                    </td>
                  </tr>,
                  open.has(r.seq) && (
                    <tr key={`${r.seq}-details`} id={`entry-${r.seq}`} className="details-row">
                      <td colSpan={7}>
                        <dl className="entry-details">
                          <dt>hash</dt>
                          <dd className="hash">{r.hash}</dd>
                          <dt>prev_hash</dt>
                          <dd className="hash">{r.prev_hash}</dd>
                          <dt>{t('admin.audit.details')}</dt>
                          <dd>
                            <pre>{JSON.stringify(r.details, null, 2)}</pre>
                          </dd>
                        </dl>
                      </td>
                    </tr>
                  ),
                ])}
              </tbody>
            </table>
          </div>
        </>
      )}
      {rows && (beforeSeq !== null || hasOlder) && (
        <nav className="pager" aria-label={t('admin.audit.title')}>
          <button type="button" className="button" onClick={newerPages.length > 0 ? newer : latest} disabled={beforeSeq === null}>
            {t('admin.audit.newer')}
          </button>
          {beforeSeq !== null && newerPages.length > 1 && (
            <button type="button" className="button" onClick={latest}>
              {t('admin.audit.latest')}
            </button>
          )}
          <button type="button" className="button" onClick={older} disabled={!hasOlder}>
            {t('admin.audit.older')}
          </button>
        </nav>
      )}
    </>
  );
}
