import { t } from '../../i18n';
import { DetailsSection } from './chat-details';
import type { ChatState } from './chat-state';
import { LinksSection } from './chat-links';
import { CommentsSection, type CommentsModel } from './comments';
import { ContactSection } from './contact-card';
import { OpportunitiesSection } from './opportunities';

/** The right-hand info panel: opportunities, CRM contact, details, links, team comments. */
export function SidePanel(props: { chat: ChatState; comments: CommentsModel; onClose: () => void }) {
  return (
    <aside class="side-panel" aria-label={t('panel.label')} data-testid="side-panel">
      <div class="panel-top">
        <strong>{t('panel.label')}</strong>
        <button type="button" class="icon-btn" aria-label={t('common.close')} onClick={props.onClose} data-testid="side-panel-close">
          ×
        </button>
      </div>
      <OpportunitiesSection chat={props.chat} />
      <ContactSection chat={props.chat} />
      <DetailsSection chat={props.chat} />
      <LinksSection chat={props.chat} />
      <CommentsSection model={props.comments} />
    </aside>
  );
}
