import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import type { FieldError } from '../../forms/validation';
import { useI18n } from '../../i18n/I18nProvider';
import { areaLabel, isPracticeArea, languageName, LANGUAGES, PRACTICE_AREAS } from '../../marketplace/catalog';
import { centsToInput, parseReais } from '../../marketplace/money';
import { LawyerResult } from '../../marketplace/ui/LawyerSummary';
import { browserTimeZone } from '../../time/format';
import { errorText } from '../../ui/errors';
import { Field } from '../../ui/Field';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { useLoad } from '../../ui/useLoad';

const PER_PAGE = 10;
const SORTS = ['rating', 'price', 'soonest'] as const;
const RATINGS = ['4.5', '4', '3.5', '3'] as const;

interface Search {
  area: string;
  language: string;
  minFee: number | null;
  maxFee: number | null;
  minRating: string;
  sort: (typeof SORTS)[number];
  page: number;
}

function cents(v: string | null): number | null {
  const n = Number(v);
  return v !== null && v !== '' && Number.isInteger(n) && n >= 0 ? n : null;
}

function readSearch(p: URLSearchParams): Search {
  const area = p.get('area') ?? '';
  const language = p.get('language') ?? '';
  const sort = p.get('sort') ?? '';
  const minRating = p.get('min_rating') ?? '';
  const page = Number(p.get('page') ?? '1');
  return {
    area: isPracticeArea(area) ? area : '',
    language: (LANGUAGES as readonly string[]).includes(language) ? language : '',
    minFee: cents(p.get('min_fee')),
    maxFee: cents(p.get('max_fee')),
    minRating: (RATINGS as readonly string[]).includes(minRating) ? minRating : '',
    sort: (SORTS as readonly string[]).includes(sort) ? (sort as Search['sort']) : 'rating',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

function writeSearch(s: Search): URLSearchParams {
  const p = new URLSearchParams();
  if (s.area) p.set('area', s.area);
  if (s.language) p.set('language', s.language);
  if (s.minFee !== null) p.set('min_fee', String(s.minFee));
  if (s.maxFee !== null) p.set('max_fee', String(s.maxFee));
  if (s.minRating) p.set('min_rating', s.minRating);
  if (s.sort !== 'rating') p.set('sort', s.sort);
  if (s.page > 1) p.set('page', String(s.page));
  return p;
}

export function FindLawyerPage() {
  const { t, locale } = useI18n();
  const [params, setParams] = useSearchParams();
  const current = readSearch(params);
  const [form, setForm] = useState(() => ({
    area: current.area,
    language: current.language,
    minPrice: current.minFee === null ? '' : centsToInput(current.minFee, locale),
    maxPrice: current.maxFee === null ? '' : centsToInput(current.maxFee, locale),
    minRating: current.minRating,
    sort: current.sort,
  }));
  const [errors, setErrors] = useState<{ minPrice?: FieldError; maxPrice?: FieldError }>({});

  const key = params.toString();
  const results = useLoad(() => {
    const s = readSearch(new URLSearchParams(key));
    return api.searchLawyers({
      area: s.area || undefined,
      language: s.language || undefined,
      min_fee: s.minFee ?? undefined,
      max_fee: s.maxFee ?? undefined,
      min_rating: s.minRating ? Number(s.minRating) : undefined,
      sort: s.sort,
      page: s.page,
      per_page: PER_PAGE,
    });
  }, [key]);

  function onSearch(e: FormEvent) {
    e.preventDefault();
    const minFee = form.minPrice.trim() === '' ? null : parseReais(form.minPrice);
    const maxFee = form.maxPrice.trim() === '' ? null : parseReais(form.maxPrice);
    const next: typeof errors = {};
    if (form.minPrice.trim() !== '' && minFee === null) next.minPrice = { key: 'directory.error.price' };
    if (form.maxPrice.trim() !== '' && maxFee === null) next.maxPrice = { key: 'directory.error.price' };
    if (minFee !== null && maxFee !== null && minFee > maxFee) next.maxPrice = { key: 'directory.error.priceOrder' };
    setErrors(next);
    if (next.minPrice || next.maxPrice) {
      document.getElementById(next.minPrice ? 'dir-min' : 'dir-max')?.focus();
      return;
    }
    setParams(writeSearch({ ...form, minFee, maxFee, page: 1 }));
  }

  function onClear() {
    setForm({ area: '', language: '', minPrice: '', maxPrice: '', minRating: '', sort: 'rating' });
    setErrors({});
    setParams(new URLSearchParams());
  }

  const data = results.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.per_page)) : 1;
  const err = (e?: FieldError) => (e ? t(e.key, e.vars) : undefined);

  return (
    <>
      <PageHeader title={t('section.client.findLawyer')}>
        <p className="lead">{t('section.client.findLawyer.desc')}</p>
      </PageHeader>
      <form className="filters directory-filters card" role="search" aria-label={t('directory.filters')} onSubmit={onSearch} noValidate>
        <Field id="dir-area" label={t('directory.area')}>
          <select value={form.area} onChange={(e) => setForm({ ...form, area: e.target.value })}>
            <option value="">{t('common.any')}</option>
            {PRACTICE_AREAS.map((a) => (
              <option key={a} value={a}>
                {t(areaLabel(a))}
              </option>
            ))}
          </select>
        </Field>
        <Field id="dir-language" label={t('directory.language')}>
          <select value={form.language} onChange={(e) => setForm({ ...form, language: e.target.value })}>
            <option value="">{t('common.any')}</option>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {languageName(l, locale)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="dir-min" label={t('directory.minPrice')} error={err(errors.minPrice)}>
          <input type="text" inputMode="decimal" placeholder={t('directory.price.placeholder')} autoComplete="off" value={form.minPrice} onChange={(e) => setForm({ ...form, minPrice: e.target.value })} />
        </Field>
        <Field id="dir-max" label={t('directory.maxPrice')} error={err(errors.maxPrice)}>
          <input type="text" inputMode="decimal" placeholder={t('directory.price.placeholder')} autoComplete="off" value={form.maxPrice} onChange={(e) => setForm({ ...form, maxPrice: e.target.value })} />
        </Field>
        <Field id="dir-rating" label={t('directory.minRating')}>
          <select value={form.minRating} onChange={(e) => setForm({ ...form, minRating: e.target.value })}>
            <option value="">{t('common.any')}</option>
            {RATINGS.map((r) => (
              <option key={r} value={r}>
                {t('directory.minRating.option', { stars: `${Number(r).toLocaleString(locale)} ★` })}
              </option>
            ))}
          </select>
        </Field>
        <Field id="dir-sort" label={t('directory.sort')}>
          <select value={form.sort} onChange={(e) => setForm({ ...form, sort: e.target.value as Search['sort'] })}>
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`directory.sort.${s}`)}
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

      {results.error !== null && (
        <div className="alert alert-error" role="alert">
          {errorText(t, results.error)}{' '}
          <button type="button" className="button button-small" onClick={results.reload}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {results.loading && !data && <Loading />}
      <div role="status" className="status-line">
        {data && !results.loading && (
          <p className="results-count">
            {data.total === 1 ? t('directory.resultsOne') : t('directory.results', { count: data.total })}{' '}
            <span className="muted">{t('directory.zoneNote', { zone: browserTimeZone() })}</span>
          </p>
        )}
      </div>
      {data && data.items.length === 0 && <p className="empty">{t('directory.empty')}</p>}
      {data && data.items.length > 0 && (
        <div className={results.loading ? 'results results-stale' : 'results'}>
          {data.items.map((l) => (
            <LawyerResult key={l.id} lawyer={l} />
          ))}
        </div>
      )}
      {data && pages > 1 && (
        <nav className="pager" aria-label={t('directory.pages')}>
          <button type="button" className="button" disabled={current.page <= 1} onClick={() => setParams(writeSearch({ ...current, page: current.page - 1 }))}>
            {t('common.previous')}
          </button>
          <span>{t('directory.page', { page: current.page, pages })}</span>
          <button type="button" className="button" disabled={current.page >= pages} onClick={() => setParams(writeSearch({ ...current, page: current.page + 1 }))}>
            {t('common.next')}
          </button>
        </nav>
      )}
    </>
  );
}
