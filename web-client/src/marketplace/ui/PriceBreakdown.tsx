import { useI18n } from '../../i18n/I18nProvider';
import { formatBRL } from '../money';

interface Props {
  feeCents: number;
  serviceFeeCents: number;
  totalCents?: number;
  minutes?: number;
}

/** The two separate amounts and their total: honorários + taxa de serviço = total. */
export function PriceBreakdown({ feeCents, serviceFeeCents, totalCents, minutes }: Props) {
  const { t, locale } = useI18n();
  return (
    <div className="price">
      {minutes !== undefined && <p className="price-title">{t('price.perConsultation', { minutes })}</p>}
      <dl>
        <div>
          <dt>{t('price.fee')}</dt>
          <dd>{formatBRL(feeCents, locale)}</dd>
        </div>
        <div>
          <dt>+ {t('price.serviceFee')}</dt>
          <dd>{formatBRL(serviceFeeCents, locale)}</dd>
        </div>
        <div className="price-total">
          <dt>= {t('price.total')}</dt>
          <dd>{formatBRL(totalCents ?? feeCents + serviceFeeCents, locale)}</dd>
        </div>
      </dl>
    </div>
  );
}
