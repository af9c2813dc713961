import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api, ROLES, type Account, type Role } from '../../api/client';
import { useSignedIn } from '../../auth/SessionProvider';
import { useI18n } from '../../i18n/I18nProvider';
import { formatInstant } from '../../time/format';
import { Field } from '../../ui/Field';
import { LoadError } from '../../ui/LoadError';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';
import { ReasonDialog } from '../../ui/ReasonDialog';

const PAGE_SIZE = 25;
const STATUSES = ['active', 'suspended'] as const;

type Filters = { q: string; role: Role | ''; status: (typeof STATUSES)[number] | '' };

function readFilters(params: URLSearchParams): Filters & { page: number } {
  const role = params.get('role') ?? '';
  const status = params.get('status') ?? '';
  const page = Number(params.get('page') ?? '1');
  return {
    q: params.get('q') ?? '',
    role: (ROLES as readonly string[]).includes(role) ? (role as Role) : '',
    status: (STATUSES as readonly string[]).includes(status) ? (status as Filters['status']) : '',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

export function UsersPage() {
  const { t, locale } = useI18n();
  const { user: me } = useSignedIn();
  const [params, setParams] = useSearchParams();
  const current = readFilters(params);
  const [form, setForm] = useState<Filters>({ q: current.q, role: current.role, status: current.status });
  const [acting, setActing] = useState<{ account: Account; action: 'suspend' | 'restore' } | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const key = params.toString();
  // One more than a page is asked for, to know whether a next page exists.
  const list = useLoad(() => {
    const f = readFilters(new URLSearchParams(key));
    return api
      .listUsers({
        q: f.q.trim() || undefined,
        role: f.role || undefined,
        status: f.status || undefined,
        limit: PAGE_SIZE + 1,
        offset: (f.page - 1) * PAGE_SIZE,
      })
      .then((found) => ({ rows: found.slice(0, PAGE_SIZE), more: found.length > PAGE_SIZE }));
  }, [key]);
  // A new search shows nothing (not the last results) until it answers.
  const rows = list.loading ? null : (list.data?.rows ?? null);
  const hasMore = list.data?.more ?? false;
  const error = list.error;

  function go(next: Filters & { page: number }) {
    const p = new URLSearchParams();
    if (next.q.trim()) p.set('q', next.q.trim());
    if (next.role) p.set('role', next.role);
    if (next.status) p.set('status', next.status);
    if (next.page > 1) p.set('page', String(next.page));
    setParams(p);
  }

  function onSearch(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    go({ ...form, page: 1 });
  }

  function onClear() {
    const empty: Filters = { q: '', role: '', status: '' };
    setForm(empty);
    setDone(null);
    go({ ...empty, page: 1 });
  }

  async function onConfirm(reason: string) {
    if (!acting) return;
    const { account, action } = acting;
    const updated =
      action === 'suspend' ? await api.suspendUser(account.id, reason) : await api.restoreUser(account.id, reason);
    if (list.data) list.setData({ ...list.data, rows: list.data.rows.map((r) => (r.id === updated.id ? updated : r)) });
    setActing(null);
    setDone(t(action === 'suspend' ? 'admin.users.suspended' : 'admin.users.restored', { name: updated.display_name }));
  }

  return (
    <>
      <PageHeader title={t('admin.users.title')} />
      <form className="filters card" role="search" onSubmit={onSearch} aria-label={t('admin.users.filters')}>
        <Field id="users-q" label={t('admin.users.q')}>
          <input type="search" value={form.q} onChange={(e) => setForm({ ...form, q: e.target.value })} />
        </Field>
        <Field id="users-role" label={t('admin.users.role')}>
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Filters['role'] })}>
            <option value="">{t('common.any')}</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="users-status" label={t('admin.users.status')}>
          <select value={form.status} onChange={(e) => setForm({ ...form, status: e.target.value as Filters['status'] })}>
            <option value="">{t('common.any')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
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

      <div role="status" className="status-line">
        {done && <p className="alert alert-ok">{done}</p>}
      </div>
      {error !== null && <LoadError error={error} retry={list.reload} />}
      {rows === null && error === null && <Loading />}
      {rows && rows.length === 0 && <p className="empty">{t('admin.users.empty')}</p>}
      {rows && rows.length > 0 && (
        <div className="table-wrap" role="region" aria-label={t('admin.users.title')} tabIndex={0}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('admin.users.col.name')}</th>
                <th scope="col">{t('admin.users.col.email')}</th>
                <th scope="col">{t('admin.users.col.role')}</th>
                <th scope="col">{t('admin.users.col.status')}</th>
                <th scope="col">{t('admin.users.col.createdAt')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('admin.users.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((u) => (
                <tr key={u.id}>
                  <th scope="row">
                    {u.display_name}
                    {u.id === me.id && <span className="muted"> ({t('admin.users.you')})</span>}
                  </th>
                  <td className="email">{u.email}</td>
                  <td>{t(`role.${u.role}`)}</td>
                  <td>
                    <span className={u.status === 'suspended' ? 'tag tag-danger' : 'tag tag-ok'}>
                      {u.status === 'suspended' ? t('status.suspended') : t('status.active')}
                    </span>
                  </td>
                  <td className="nowrap">
                    <time dateTime={u.created_at}>{formatInstant(u.created_at, locale)}</time>
                  </td>
                  <td className="actions">
                    {u.id !== me.id &&
                      (u.status === 'suspended' ? (
                        <button type="button" className="button button-small" onClick={() => setActing({ account: u, action: 'restore' })}>
                          {t('admin.users.restore')}
                          <span className="visually-hidden"> {u.display_name}</span>
                        </button>
                      ) : (
                        <button type="button" className="button button-small button-danger-outline" onClick={() => setActing({ account: u, action: 'suspend' })}>
                          {t('admin.users.suspend')}
                          <span className="visually-hidden"> {u.display_name}</span>
                        </button>
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows && (current.page > 1 || hasMore) && (
        <nav className="pager" aria-label={t('admin.users.page', { page: current.page })}>
          <button type="button" className="button" disabled={current.page <= 1} onClick={() => go({ ...current, page: current.page - 1 })}>
            {t('common.previous')}
          </button>
          <span>{t('admin.users.page', { page: current.page })}</span>
          <button type="button" className="button" disabled={!hasMore} onClick={() => go({ ...current, page: current.page + 1 })}>
            {t('common.next')}
          </button>
        </nav>
      )}
      {acting && (
        <ReasonDialog
          title={t(acting.action === 'suspend' ? 'admin.suspend.title' : 'admin.restore.title', { name: acting.account.display_name })}
          body={t(acting.action === 'suspend' ? 'admin.suspend.body' : 'admin.restore.body')}
          confirmLabel={t(acting.action === 'suspend' ? 'admin.suspend.confirm' : 'admin.restore.confirm')}
          danger={acting.action === 'suspend'}
          onConfirm={onConfirm}
          onClose={() => setActing(null)}
        />
      )}
    </>
  );
}
