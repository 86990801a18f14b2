// Baseline for the HTTP benchmark: a bare Worker route that returns the same JSON the echo
// function returns, with no signature check, no lookup and no sandbox.
export default {
  async fetch(request) {
    const event = await request.json();
    return Response.json({ echoed: event });
  },
};
