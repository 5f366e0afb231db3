/** The mentions capability's public face: other folders import only this file. */
export { checkMentions, listMentionable } from './who';
export { chatReadClearsMentions, listMyMentions, readMyMentions, unreadMentionInChatQuery } from './mine';
export { mentionedByComment, mentionWrites } from './comment-mentions';
