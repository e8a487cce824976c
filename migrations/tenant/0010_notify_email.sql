ALTER TABLE `studio_profiles` ADD `notify_email` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Studios that signed up before kept their sign-up email as the contact address: it keeps
-- receiving their notifications.
UPDATE `studio_profiles` SET `notify_email` = `contact_email`;
