DROP INDEX `proof_activity_age_idx`;--> statement-breakpoint
CREATE INDEX `proof_activity_age_idx` ON `proof_activity` (`at`);--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `leased_until` integer;--> statement-breakpoint
CREATE INDEX `email_outbox_pending_idx` ON `email_outbox` (`status`,`created_at`) WHERE status = 'queued';--> statement-breakpoint
CREATE INDEX `galleries_expiry_idx` ON `galleries` (`expires_at`) WHERE expires_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `photos_set_page_idx` ON `photos` (`tenant_id`,`gallery_id`,`set_id`,`position`,`id`,`preview_version`);