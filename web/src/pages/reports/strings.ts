// The Reports page's strings load with its chunk, not with the inbox (which has a size budget).
import { addStrings } from '../../i18n';
import { enReports } from '../../i18n/en-reports';
import { ptBRReports } from '../../i18n/pt-BR-reports';

addStrings(enReports, ptBRReports);
