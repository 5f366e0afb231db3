/** The mentions capability's public face: other folders import only this file. */
export { checkMentions, listMentionable } from './who';
export { chatReadClearsMentions, listMyMentions, readMyMentions } from './mine';
export { mentionedByComment, mentionWrites } from './comment-mentions';
