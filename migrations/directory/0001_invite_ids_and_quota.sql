ALTER TABLE `invites` ADD `id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `invites_id_uq` ON `invites` (`id`);--> statement-breakpoint
ALTER TABLE `tenants` ADD `storage_quota_bytes` integer;