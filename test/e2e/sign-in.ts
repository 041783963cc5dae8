import type { Page } from 'playwright-core'
import type { DemoLogin } from '../../src/app/auth/demo-people.ts'

/** Signs in through the sign-in form, as a person would. */
export async function signIn(page: Page, login: DemoLogin): Promise<void> {
  await page.goto('/')
  await page.getByLabel('Email').fill(login.email)
  await page.getByLabel('Password').fill(login.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('button', { name: 'Sign out' }).waitFor()
}
