// The demo uses nothing but the browser client, as any page would.
import { connectOnline } from '/faye-online/client.mjs';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const name = params.get('name')?.trim();

for (const field of ['room', 'time', 'token']) {
  if (params.get(field)) $(field).value = params.get(field);
}
$('name').value = name || `Guest ${Math.floor(Math.random() * 900) + 100}`;

if (name) start();

function start() {
  const room = $('room').value;
  const timeChannel = $('time').value;
  const token = $('token').value || undefined;
  let online;
  try {
    online = connectOnline({
      url: location.origin,
      room,
      timeChannel,
      token,
      // The name is the uid, so two tabs with one name are one user.
      user: { uid: name, uname: name },
      onUsers: renderUsers,
    });
  } catch (error) {
    return showError(error.message);
  }
  $('join').hidden = true;
  $('live').hidden = false;
  $('me').textContent = name;
  $('room-name').textContent = room;
  $('time-name').textContent = timeChannel;
  pollTime(online);
}

function renderUsers(users, count) {
  $('count').textContent = String(count);
  const items = users.map((user) => {
    const item = document.createElement('li');
    item.textContent = user.uname;
    if (String(user.uid) === name) item.className = 'self';
    return item;
  });
  $('users').replaceChildren(...items);
}

async function pollTime(online) {
  try {
    const time = await online.onlineTime();
    $('time-online').textContent = clock(time.seconds);
    $('time-online').dataset.seconds = String(time.seconds);
    $('error').hidden = true;
  } catch (error) {
    showError(error.message);
  }
  setTimeout(() => pollTime(online), 1000);
}

function clock(seconds) {
  const whole = Math.floor(seconds);
  const minutes = Math.floor(whole / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return `${minutes}:${rest}`;
}

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = false;
}
