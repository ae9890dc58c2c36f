// Placeholder of the responder console (issue 5 builds it).
export {};
