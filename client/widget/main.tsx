// Placeholder of the visitor widget (issue 4 builds it): shows live availability from the server.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { createVisitorApi } from '../shared/api-client.js';

function Availability() {
  const [staffed, setStaffed] = useState<boolean | null>(null);
  useEffect(() => {
    createVisitorApi({ baseUrl: '' })
      .status('chat')
      .then((s) => setStaffed(s.staffed))
      .catch(() => setStaffed(false));
  }, []);
  return (
    <main>
      <h1>Utväg</h1>
      <p role="status">
        {staffed === null ? 'Kollar om någon är här…' : staffed ? 'Någon finns här just nu.' : 'Ingen är här just nu.'}
      </p>
      <p>Vid fara: ring 112. Polisen 114 14. BRIS 116 111.</p>
    </main>
  );
}

const root = document.getElementById('app');
if (root !== null) render(<Availability />, root);
