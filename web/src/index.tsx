import { render } from 'solid-js/web';
import { App } from './app';
// In cascade order: later files override earlier ones.
import './styles/base.css';
import './styles/shell.css';
import './styles/chat.css';
import './styles/pages.css';
import './styles/crm.css';
import './styles/toolkit.css';
import './styles/narrow.css';

render(() => <App />, document.getElementById('root')!);
