import type { OwnProfile } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { formatInstant } from '../../time/format';

/** Where the lawyer stands with the OAB verification (and so with the directory). */
export function VerificationBanner({ profile }: { profile: OwnProfile | null }) {
  const { t, locale } = useI18n();
  if (!profile) return <p className="alert notice-warn">{t('profile.status.none')}</p>;
  switch (profile.verification_status) {
    case 'verified':
      return (
        <p className="alert alert-ok">
          {t('profile.status.verified', { date: profile.verified_at ? formatInstant(profile.verified_at, locale) : '' })}
        </p>
      );
    case 'rejected':
      return <p className="alert alert-error">{t('profile.status.rejected')}</p>;
    default:
      return <p className="alert notice-warn">{t('profile.status.pending')}</p>;
  }
}
