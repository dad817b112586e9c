/**
 * Who may do what: actors and their roles per workspace ({@link
 * io.flinkplatform.engine.access.Authorizer}), the actions a client call needs a role for, grants
 * between workspaces, workspace caps and the audit trail. See docs/security.md.
 */
package io.flinkplatform.engine.access;
