"""Web service: the trainee chat page and the trainer review pages (Sanic, port 8080)."""
