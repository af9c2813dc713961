import { useI18n } from '../../i18n/I18nProvider';
import { isMessageKey } from '../../i18n/messages';

const SESSION_CLASS: Record<string, string> = {
  scheduled: 'tag tag-info',
  lobby_open: 'tag tag-ok',
  in_progress: 'tag tag-ok',
  completed: 'tag tag-neutral',
  no_show: 'tag tag-danger',
  cancelled: 'tag tag-danger',
};

const PAYMENT_CLASS: Record<string, string> = {
  pending: 'tag',
  processing: 'tag',
  paid: 'tag tag-ok',
  failed: 'tag tag-danger',
  expired: 'tag tag-neutral',
  refunded: 'tag tag-info',
};

export function SessionStatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `sessionStatus.${status}`;
  return <span className={SESSION_CLASS[status] ?? 'tag'}>{isMessageKey(key) ? t(key) : status}</span>;
}

export function PaymentStatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `paymentStatus.${status}`;
  return <span className={PAYMENT_CLASS[status] ?? 'tag'}>{isMessageKey(key) ? t(key) : status}</span>;
}

export function LegalModeTag() {
  const { t } = useI18n();
  return <span className="tag tag-legal">{t('sessions.legalMode')}</span>;
}
