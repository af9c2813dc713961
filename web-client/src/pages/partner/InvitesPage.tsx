import { useState, type FormEvent } from 'react';
import { api, type Invite } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { inviteStatus, parseMaxUses } from '../../referrals/invites';
import { formatInstant } from '../../time/format';
import { errorText } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { ReasonlessConfirm } from '../../ui/Confirm';
import { useLoad } from '../../ui/useLoad';
import { LoadError } from '../../ui/LoadError';

type Kind = 'client' | 'lawyer';

/** "Convites": create invite links, copy them, see their uses, revoke them. */
export function InvitesPage() {
  const { t, locale } = useI18n();
  const invites = useLoad(() => api.invites(), []);
  const [kind, setKind] = useState<Kind>('client');
  const [maxUses, setMaxUses] = useState('');
  const [expires, setExpires] = useState('');
  const [errors, setErrors] = useState<{ maxUses?: string; expires?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [revoking, setRevoking] = useState<Invite | null>(null);
  const now = new Date();

  async function onCreate(e: FormEvent) {
    e.preventDefault();
    const found: typeof errors = {};
    const max = parseMaxUses(maxUses);
    if (max === undefined) found.maxUses = t('invites.maxUsesInvalid');
    let expiresAt: string | null = null;
    if (expires) {
      const [y, m, d] = expires.split('-').map(Number);
      const end = new Date(y!, m! - 1, d! + 1); // the end of the chosen local day
      if (!Number.isFinite(end.getTime()) || end <= now) found.expires = t('invites.expiresPast');
      else expiresAt = end.toISOString();
    }
    setErrors(found);
    setFailure(null);
    setDone(null);
    if (found.maxUses || found.expires) {
      document.getElementById(found.maxUses ? 'invite-max' : 'invite-expires')?.focus();
      return;
    }
    setBusy(true);
    try {
      const created = await api.createInvite({ kind, max_uses: max ?? null, expires_at: expiresAt });
      invites.setData([created, ...(invites.data ?? [])]);
      setMaxUses('');
      setExpires('');
      setDone(t('invites.created'));
    } catch (err) {
      setFailure(errorText(t, err));
    }
    setBusy(false);
  }

  async function copy(inv: Invite) {
    try {
      await navigator.clipboard.writeText(inv.link);
      setDone(t('invites.copied'));
    } catch {
      const input = document.getElementById(`invite-link-${inv.id}`) as HTMLInputElement | null;
      input?.select();
      setDone(t('invites.copyFailed'));
    }
  }

  return (
    <>
      <PageHeader title={t('section.partner.invites')}>
        <p className="lead">{t('invites.lead')}</p>
      </PageHeader>
      <section className="card" aria-labelledby="invite-new">
        <h2 id="invite-new">{t('invites.new')}</h2>
        {failure && (
          <p className="alert alert-error" role="alert">
            {failure}
          </p>
        )}
        <form noValidate onSubmit={onCreate} className="invite-form">
          <fieldset className="kind-choice">
            <legend>{t('invites.kind')}</legend>
            {(['client', 'lawyer'] as const).map((k) => (
              <label key={k} className="inline-option" htmlFor={`invite-kind-${k}`}>
                <input type="radio" id={`invite-kind-${k}`} name="invite-kind" checked={kind === k} onChange={() => setKind(k)} />{' '}
                {t(`invites.kind.${k}`)}
              </label>
            ))}
          </fieldset>
          <div className="form-row">
            <Field id="invite-max" label={<>{t('invites.maxUses')} <span className="muted">{t('common.optional')}</span></>} hint={t('invites.maxUsesHint')} error={errors.maxUses}>
              <input type="number" inputMode="numeric" min={1} max={100000} step={1} value={maxUses} onChange={(e) => setMaxUses(e.target.value)} />
            </Field>
            <Field id="invite-expires" label={<>{t('invites.expires')} <span className="muted">{t('common.optional')}</span></>} hint={t('invites.expiresHint')} error={errors.expires}>
              <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
            </Field>
          </div>
          <button type="submit" className="button button-primary" disabled={busy}>
            {t('invites.create')}
          </button>
        </form>
      </section>
      <div role="status" className="status-line">
        {done && <p className="alert alert-ok">{done}</p>}
      </div>
      <section aria-labelledby="invite-list" className="session-section">
        <h2 id="invite-list">{t('invites.list')}</h2>
        {invites.error !== null && <LoadError error={invites.error} retry={invites.reload} />}
        {!invites.data && invites.error === null && <Loading />}
        {invites.data && invites.data.length === 0 && <p className="empty">{t('invites.empty')}</p>}
        {invites.data && invites.data.length > 0 && (
          <div className="table-wrap" role="region" aria-label={t('invites.list')} tabIndex={0}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('invites.col.code')}</th>
                  <th scope="col">{t('invites.col.kind')}</th>
                  <th scope="col" className="num">{t('invites.col.uses')}</th>
                  <th scope="col">{t('invites.col.expires')}</th>
                  <th scope="col">{t('invites.col.status')}</th>
                  <th scope="col">{t('invites.col.link')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('invites.col.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {invites.data.map((inv) => {
                  const status = inviteStatus(inv, now);
                  return (
                    <tr key={inv.id}>
                      <th scope="row">
                        <code>{inv.code}</code>
                      </th>
                      <td>{t(inv.kind === 'lawyer' ? 'invites.kind.lawyer' : 'invites.kind.client')}</td>
                      <td className="num nowrap">{inv.max_uses != null ? t('invites.uses', { uses: inv.uses, max: inv.max_uses }) : inv.uses}</td>
                      <td className="nowrap">
                        {inv.expires_at ? <time dateTime={inv.expires_at}>{formatInstant(inv.expires_at, locale)}</time> : t('invites.noExpiry')}
                      </td>
                      <td>
                        <span className={status === 'active' ? 'tag tag-ok' : 'tag tag-neutral'}>{t(`invites.status.${status}`)}</span>
                      </td>
                      <td>
                        <input
                          id={`invite-link-${inv.id}`}
                          className="link-field"
                          type="text"
                          readOnly
                          value={inv.link}
                          aria-label={t('invites.linkOf', { code: inv.code })}
                          onFocus={(e) => e.currentTarget.select()}
                        />
                      </td>
                      <td className="actions nowrap">
                        <button type="button" className="button button-small" onClick={() => copy(inv)} aria-label={t('invites.copyOf', { code: inv.code })}>
                          {t('invites.copy')}
                        </button>{' '}
                        {status !== 'revoked' && (
                          <button type="button" className="button button-small button-danger-outline" onClick={() => { setDone(null); setRevoking(inv); }}>
                            {t('invites.revoke')}
                            <span className="visually-hidden"> {inv.code}</span>
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {revoking && (
        <ReasonlessConfirm
          title={t('invites.revokeTitle', { code: revoking.code })}
          body={t('invites.revokeBody')}
          confirmLabel={t('invites.revoke')}
          danger
          onConfirm={async () => {
            const updated = await api.revokeInvite(revoking.id);
            invites.setData((invites.data ?? []).map((i) => (i.id === updated.id ? updated : i)));
            setRevoking(null);
            setDone(t('invites.revoked', { code: updated.code }));
          }}
          onClose={() => setRevoking(null)}
        />
      )}
    </>
  );
}
