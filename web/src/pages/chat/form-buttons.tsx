import { t } from '../../i18n';

/** The Save/Create + Cancel row closing the small edit forms of the side panel. */
export function FormButtons(props: { label: string; busy?: boolean; testid?: string; onCancel: () => void }) {
  return (
    <div class="row">
      <button type="submit" class="btn btn-small btn-primary" disabled={props.busy} data-testid={props.testid}>
        {props.label}
      </button>
      <button type="button" class="btn btn-small" onClick={() => props.onCancel()}>
        {t('common.cancel')}
      </button>
    </div>
  );
}
