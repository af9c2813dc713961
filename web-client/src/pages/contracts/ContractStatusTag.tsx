import type { ContractStatus } from '../../api/client';
import { STATUS_TONE } from '../../contracts/contracts';
import { useI18n } from '../../i18n/I18nProvider';

const TONE_CLASS = { ok: 'tag tag-ok', info: 'tag tag-info', warn: 'tag', danger: 'tag tag-danger', neutral: 'tag tag-neutral' } as const;

export function ContractStatusTag({ status }: { status: ContractStatus }) {
  const { t } = useI18n();
  return <span className={TONE_CLASS[STATUS_TONE[status]]}>{t(`contractStatus.${status}`)}</span>;
}
