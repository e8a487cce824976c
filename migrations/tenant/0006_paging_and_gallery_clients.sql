DROP INDEX `contact_messages_recent_idx`;--> statement-breakpoint
CREATE INDEX `contact_messages_page_idx` ON `contact_messages` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `contact_messages_unread_idx` ON `contact_messages` (`tenant_id`,`read_at`);--> statement-breakpoint
DROP INDEX `galleries_tenant_position_idx`;--> statement-breakpoint
ALTER TABLE `galleries` ADD `client_name` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `galleries` ADD `client_email` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `galleries_page_idx` ON `galleries` (`tenant_id`,`position`,`id`);--> statement-breakpoint
DROP INDEX `photos_gallery_position_idx`;--> statement-breakpoint
DROP INDEX `photos_gallery_status_idx`;--> statement-breakpoint
CREATE INDEX `photos_page_idx` ON `photos` (`tenant_id`,`gallery_id`,`position`,`id`);--> statement-breakpoint
CREATE INDEX `photos_gallery_status_idx` ON `photos` (`tenant_id`,`gallery_id`,`status`,`preview_version`);--> statement-breakpoint
DROP INDEX `proof_activity_recent_idx`;--> statement-breakpoint
CREATE INDEX `proof_activity_page_idx` ON `proof_activity` (`tenant_id`,`gallery_id`,`at`,`id`);--> statement-breakpoint
CREATE INDEX `proof_activity_age_idx` ON `proof_activity` (`tenant_id`,`at`);--> statement-breakpoint
DROP INDEX `orders_recent_idx`;--> statement-breakpoint
CREATE INDEX `orders_page_idx` ON `orders` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `orders_status_page_idx` ON `orders` (`tenant_id`,`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `orders_gallery_page_idx` ON `orders` (`tenant_id`,`gallery_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `orders_email_idx` ON `orders` (`tenant_id`,`customer_email`);--> statement-breakpoint
CREATE INDEX `discount_codes_page_idx` ON `discount_codes` (`tenant_id`,`created_at`,`id`);