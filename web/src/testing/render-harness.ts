// Test-only page script (never shipped): renders message frames given by the browser test with
// the same code the widget and console use, so that rendering can be checked in a real browser.
import { renderText, type Redaction } from '../lib/render';

(window as any).renderMessage = (text: string, redactions: Redaction[] = []) => {
  const li = document.createElement('li');
  li.className = 'msg';
  li.append(renderText(text, redactions));
  document.getElementById('log')!.append(li);
  return li.childNodes.length;
};
