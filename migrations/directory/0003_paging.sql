DROP INDEX `invites_tenant_idx`;--> statement-breakpoint
-- Invites made before 0001 have no id: they get one, so every invite pages by (created_at, id).
UPDATE `invites` SET `id` = 'inv_' || lower(hex(randomblob(8))) WHERE `id` IS NULL;--> statement-breakpoint
CREATE INDEX `invites_page_idx` ON `invites` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `memberships_page_idx` ON `memberships` (`tenant_id`,`created_at`,`account_id`);