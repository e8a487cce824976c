CREATE TABLE `stripe_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`tenant_id` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
ALTER TABLE `tenants` ADD `storage_addon_bytes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `stripe_account_id` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `stripe_charges_enabled` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `stripe_details_submitted` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `stripe_customer_id` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `stripe_subscription_id` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `subscription_status` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `subscription_event_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_stripe_account_uq` ON `tenants` (`stripe_account_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_stripe_customer_uq` ON `tenants` (`stripe_customer_id`);