/** The satisfaction survey (CSAT) capability's public face: other folders import only this file. */
export { askOnClose, cancelPendingSurveys, commentWrite, isSurveyQuestion, latestSurvey, rateWrite, type Asked } from './surveys';
export { COMMENT_MAX, judgeRating, surveyState, takesComment, type RatingVerdict, type Survey, type SurveyState } from './rules';
