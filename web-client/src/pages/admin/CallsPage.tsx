import { useEffect } from 'react';
import { api, type LiveLink, type LiveRoom, type LiveTrack } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';
import { LoadError } from '../../ui/LoadError';

const REFRESH_MS = 5000;

const packets = (tracks: LiveTrack[]) => tracks.reduce((n, t) => n + t.packets, 0);
/** The simulcast layers a participant receives (0 smallest, 2 largest), or a dash. */
const layers = (tracks: LiveTrack[]) =>
  tracks
    .filter((t) => t.layer != null)
    .map((t) => t.layer)
    .join(', ') || '—';

/** "Chamadas": calls in progress, per room and participant, from the SFU's statistics. */
export function CallsPage() {
  const { t } = useI18n();
  const rooms = useLoad<LiveRoom[]>(() => api.liveCalls(), []);
  const { reload } = rooms;
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const kbps = (n: number) => t('calls.kbps', { n: Math.round(n) });
  const ms = (n: number | null | undefined) => (n == null ? '—' : t('calls.ms', { n: Math.round(n) }));
  const lost = (a: LiveLink, b: LiveLink) => a.packets_lost + b.packets_lost;
  return (
    <>
      <PageHeader title={t('section.admin.calls')}>
        <p className="lead">{t('calls.lead')}</p>
      </PageHeader>
      {rooms.error !== null && <LoadError error={rooms.error} retry={rooms.reload} />}
      {!rooms.data && rooms.error === null && <Loading />}
      {rooms.data && rooms.data.length === 0 && <p className="empty">{t('calls.empty')}</p>}
      {rooms.data?.map((r) => (
        <section key={r.room} aria-label={t('calls.room', { room: r.room })}>
          <h2>{t('calls.room', { room: r.room })}</h2>
          <div className="table-wrap" role="region" aria-label={t('calls.room', { room: r.room })} tabIndex={0}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('calls.col.participant')}</th>
                  <th scope="col">{t('calls.col.in')}</th>
                  <th scope="col">{t('calls.col.out')}</th>
                  <th scope="col">{t('calls.col.packets')}</th>
                  <th scope="col">{t('calls.col.lost')}</th>
                  <th scope="col">{t('calls.col.jitter')}</th>
                  <th scope="col">{t('calls.col.rtt')}</th>
                  <th scope="col">{t('calls.col.estimate')}</th>
                  <th scope="col">{t('calls.col.layers')}</th>
                </tr>
              </thead>
              <tbody>
                {r.participants.map((p) => (
                  <tr key={p.identity}>
                    <td className="nowrap">
                      <code>{p.identity}</code>
                    </td>
                    <td className="nowrap">{kbps(p.bitrate_in_kbps)}</td>
                    <td className="nowrap">{kbps(p.bitrate_out_kbps)}</td>
                    <td className="nowrap" data-testid="packets">
                      {packets(p.published)} / {packets(p.subscribed)}
                    </td>
                    <td>{lost(p.publish_link, p.subscribe_link)}</td>
                    <td className="nowrap">{ms(Math.max(p.publish_link.jitter_ms, p.subscribe_link.jitter_ms))}</td>
                    <td className="nowrap">{ms(p.subscribe_link.rtt_ms ?? p.publish_link.rtt_ms)}</td>
                    <td className="nowrap">{p.bandwidth_estimate_kbps == null ? '—' : kbps(p.bandwidth_estimate_kbps)}</td>
                    <td className="nowrap" data-testid="layers">
                      {layers(p.subscribed)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </>
  );
}
