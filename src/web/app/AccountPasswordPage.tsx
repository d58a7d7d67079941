import { ChangePasswordPage } from '../features/auth/ChangePasswordPage';

export function AccountPasswordPage() {
  return <ChangePasswordPage forced={false} />;
}
